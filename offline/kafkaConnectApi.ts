/**
 * A local stand-in for the MSK Connect API on loopback, for the tests, `npm run verify` and `npm run bench`:
 * DescribeConnector, ListConnectors, ListConnectorOperations and DescribeConnectorOperation over REST-JSON,
 * in the shapes of `@aws-sdk/client-kafkaconnect`'s model (ISO 8601 timestamps, ARNs as URL-encoded path
 * labels, errors as `x-amzn-ErrorType` plus `{"message"}`). Each connector and operation is scripted: the
 * states it answers on successive Describe calls (the last one stays), its configuration, its operations;
 * faults (429, 500, 503, a connection that never answers, a reset) can be injected for the next N calls.
 * Requests must carry a SigV4 signature for the service `kafkaconnect` (any credentials).
 *
 * PauseConnector (`PUT /v1/connectors/{arn}/pause`), ResumeConnector (`PUT …/resume`) and RestartConnector
 * (`POST …/restart?onlyFailedTasks=`) start an operation that moves through time on the server's clock:
 * `<KIND>_IN_PROGRESS` (the connector PAUSING, RESUMING or RESTARTING) for `operationMs`, then
 * `<KIND>_COMPLETE` (PAUSED, or RUNNING) or, when scripted with `scriptNextOperation`, `<KIND>_FAILED` with
 * its errorInfo and steps. They refuse what MSK Connect refuses (AWS docs, "Pause and resume a connector" and API_RestartConnector), in the model's exception
 * types: a connector in the wrong state (pause and restart need RUNNING, resume PAUSED) or `onlyFailedTasks`
 * below Kafka Connect 3.7 is a BadRequestException; another operation in progress is a ConflictException
 * for pause and resume (whose model lists it) and a BadRequestException for restart (whose model does not).
 * `deleteConnector` removes a connector and its operations at once (a connector deleted mid-way).
 */
import * as crypto from "crypto";
import * as http from "http";
import type { KafkaConnectCall } from "../verification";
import { freePort } from "./localS3";

/** The operations the stand-in serves: every one the program's MSK Connect clients call (TagResource: adopting a resource). */
export type KafkaConnectOperationName = KafkaConnectCall["action"] | "TagResource";

/** The lifecycle operations the stand-in runs over time. */
export type LifecycleOperationName = Extract<KafkaConnectOperationName, "PauseConnector" | "ResumeConnector" | "RestartConnector">;

/** How the next lifecycle operation on a connector ends, instead of completing. */
export interface NextOperationScript {
    /** How long it stays in progress. @default the server's operationMs */
    readonly durationMs?: number;
    /** End `<KIND>_FAILED` with this errorInfo. */
    readonly fail?: {
        readonly errorInfo: { readonly code?: string; readonly message?: string };
        readonly operationSteps?: readonly { readonly stepType: string; readonly stepState: string }[];
        /** The connector's state after the failure. @default the state it had before the operation */
        readonly connectorState?: string;
    };
}

/** One DescribeConnector answer. */
export interface ConnectorStateStep {
    readonly connectorState: string;
    readonly stateDescription?: { readonly code?: string; readonly message?: string };
    /** The live configuration from this answer on (else the connector's). */
    readonly connectorConfiguration?: Readonly<Record<string, string>>;
    /** The version from this answer on (else the connector's). */
    readonly currentVersion?: string;
}

export interface FakeOperationSpec {
    /** @default generated from the connector's ARN */
    readonly connectorOperationArn?: string;
    /** @default "UPDATE_CONNECTOR_CONFIGURATION" */
    readonly connectorOperationType?: string;
    /** What successive DescribeConnectorOperation calls answer; the last one stays. ListConnectorOperations shows the latest answered. */
    readonly states: readonly string[];
    /** ISO 8601. */
    readonly creationTime: string;
    readonly endTime?: string;
    readonly errorInfo?: { readonly code?: string; readonly message?: string };
    readonly operationSteps?: readonly { readonly stepType: string; readonly stepState: string }[];
    readonly originConnectorConfiguration?: Readonly<Record<string, string>>;
    readonly targetConnectorConfiguration?: Readonly<Record<string, string>>;
}

export interface FakeConnectorSpec {
    readonly connectorName: string;
    /** @default generated in the server's region and account */
    readonly connectorArn?: string;
    /** What successive DescribeConnector calls answer; the last one stays. @default [{ connectorState: "RUNNING" }] */
    readonly states?: readonly ConnectorStateStep[];
    readonly connectorConfiguration: Readonly<Record<string, string>>;
    /** CloudWatch log group in the worker log delivery; none when unset. */
    readonly logGroup?: string;
    /** ISO 8601. @default "2025-01-01T00:00:00.000Z" */
    readonly creationTime?: string;
    /** @default "1" */
    readonly currentVersion?: string;
    /** In the order ListConnectorOperations lists them. */
    readonly operations?: readonly FakeOperationSpec[];
    /** "2.7.1" or "3.7.x". @default "2.7.1" */
    readonly kafkaConnectVersion?: string;
    /** DescribeConnector's capacity. @default provisioned, 1 MCU, 1 worker */
    readonly capacity?: object;
}

export interface FaultSpec {
    /** An HTTP error in the service's shape (403 ForbiddenException, 429 TooManyRequestsException, 500, 503), a request that is never answered, or a connection closed at once. */
    readonly fault: 403 | 429 | 500 | 503 | "hang" | "reset";
    /** For how many matching calls. */
    readonly times: number;
    /** Only calls of this operation. @default every operation */
    readonly operation?: KafkaConnectOperationName;
}

export interface KafkaConnectApiCall {
    readonly operation: KafkaConnectOperationName | "unknown";
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    /** The region in the request's SigV4 credential scope. */
    readonly region?: string;
    /** The access key id that signed the request. */
    readonly accessKeyId?: string;
    /** The HTTP status answered, or the fault that stood in for an answer. */
    readonly answered: number | "hang" | "reset";
}

export interface LocalKafkaConnectApi {
    readonly endpoint: string;
    readonly region: string;
    /** Adds a connector (also while running); returns its ARN. */
    addConnector(spec: FakeConnectorSpec): string;
    /** The generated ARN of a connector's operation, by its index in the spec. */
    operationArn(connectorArn: string, index: number): string;
    injectFault(spec: FaultSpec): void;
    /** How the next pause, resume or restart of this connector goes (once). */
    scriptNextOperation(connectorArn: string, script: NextOperationScript): void;
    /** Removes a connector and its operations: every later call about them answers NotFoundException. */
    deleteConnector(connectorArn: string): void;
    /** Drops every fault not yet used up. */
    clearFaults(): void;
    /** The tags TagResource has put on a connector or custom plugin. */
    tagsOf(arn: string): Record<string, string>;
    /** Every request, in order. */
    readonly calls: KafkaConnectApiCall[];
    stop(): Promise<void>;
}

interface ConnectorEntry {
    readonly spec: FakeConnectorSpec;
    readonly arn: string;
    readonly operations: OperationEntry[];
    described: number;
    /** The state lifecycle operations left it in (over the script's), with its description. */
    live?: { connectorState: string; stateDescription?: { code?: string; message?: string } };
    /** The lifecycle operation in progress. */
    running?: OperationEntry;
    next?: NextOperationScript;
}

/** A lifecycle operation: its kind, when it started, how long it runs, how it ends. */
interface TimedOperation {
    readonly kind: "PAUSE" | "RESUME" | "RESTART";
    readonly startedAt: number;
    readonly durationMs: number;
    readonly before: string;
    readonly script?: NextOperationScript["fail"];
}

interface OperationEntry {
    readonly spec: FakeOperationSpec;
    readonly arn: string;
    readonly connectorArn: string;
    described: number;
    readonly timed?: TimedOperation;
}

/** While in progress, the connector's state; once complete, the state it is left in. */
const LIFECYCLE: Record<TimedOperation["kind"], { during: string; after: string; needs: string; action: LifecycleOperationName }> = {
    PAUSE: { during: "PAUSING", after: "PAUSED", needs: "RUNNING", action: "PauseConnector" },
    RESUME: { during: "RESUMING", after: "RUNNING", needs: "PAUSED", action: "ResumeConnector" },
    RESTART: { during: "RESTARTING", after: "RUNNING", needs: "RUNNING", action: "RestartConnector" },
};

/** The lifecycle routes, by method and the path's last part. */
const LIFECYCLE_ROUTES: Readonly<Record<string, LifecycleOperationName>> = {
    "PUT pause": "PauseConnector",
    "PUT resume": "ResumeConnector",
    "POST restart": "RestartConnector",
};

const IN_PROGRESS_OPERATION = /(^PENDING$|_IN_PROGRESS$)/;

class HttpFault extends Error {
    constructor(
        readonly status: number,
        readonly type: string,
        message: string,
    ) {
        super(message);
    }
}

/** The answer at step `n` of a script: the n-th, or the last one once the script has run out. */
function step<T>(script: readonly T[], n: number): T {
    return script[Math.min(n, script.length - 1)];
}

function clean<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const FAULT_TYPES: Record<Extract<FaultSpec["fault"], number>, string> = {
    403: "ForbiddenException",
    429: "TooManyRequestsException",
    500: "InternalServerErrorException",
    503: "ServiceUnavailableException",
};

class KafkaConnectApiServer implements LocalKafkaConnectApi {
    readonly calls: KafkaConnectApiCall[] = [];
    private readonly connectors = new Map<string, ConnectorEntry>();
    private readonly operations = new Map<string, OperationEntry>();
    private readonly faults: { spec: FaultSpec; left: number }[] = [];
    /** Tags by resource ARN, as TagResource left them. */
    private readonly tags = new Map<string, Record<string, string>>();

    constructor(
        readonly endpoint: string,
        readonly region: string,
        private readonly accountId: string,
        private readonly pageSize: number,
        private readonly server: http.Server,
        private readonly clock: { now: () => number; operationMs: number },
    ) {}

    addConnector(spec: FakeConnectorSpec): string {
        const id = crypto.randomUUID();
        const arn = spec.connectorArn ?? `arn:aws:kafkaconnect:${this.region}:${this.accountId}:connector/${spec.connectorName}/${id}`;
        const entry: ConnectorEntry = { spec, arn, operations: [], described: 0 };
        for (const op of spec.operations ?? []) {
            const opArn = op.connectorOperationArn ?? `${arn.replace(":connector/", ":connector-operation/")}/${crypto.randomUUID()}`;
            const opEntry: OperationEntry = { spec: op, arn: opArn, connectorArn: arn, described: 0 };
            entry.operations.push(opEntry);
            this.operations.set(opArn, opEntry);
        }
        this.connectors.set(arn, entry);
        return arn;
    }

    operationArn(connectorArn: string, index: number): string {
        const op = this.connectors.get(connectorArn)?.operations[index];
        if (!op) throw new Error(`no operation ${index} on ${connectorArn}`);
        return op.arn;
    }

    injectFault(spec: FaultSpec): void {
        this.faults.push({ spec, left: spec.times });
    }

    scriptNextOperation(connectorArn: string, script: NextOperationScript): void {
        this.connector(connectorArn).next = script;
    }

    deleteConnector(connectorArn: string): void {
        const c = this.connector(connectorArn);
        for (const op of c.operations) this.operations.delete(op.arn);
        this.connectors.delete(connectorArn);
    }

    /** The tags TagResource has put on a resource. */
    tagsOf(arn: string): Record<string, string> {
        return { ...this.tags.get(arn) };
    }

    clearFaults(): void {
        this.faults.length = 0;
    }

    stop(): Promise<void> {
        return new Promise((resolve) => {
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
    }

    /** Read the request's body, then answer it. */
    handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => this.respond(req, res, Buffer.concat(chunks).toString("utf8")));
    }

    private respond(req: http.IncomingMessage, res: http.ServerResponse, text: string): void {
        const url = new URL(req.url ?? "/", this.endpoint);
        const query = Object.fromEntries(url.searchParams.entries());
        const route = this.route(req.method ?? "GET", url.pathname);
        const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/kafkaconnect\/aws4_request/.exec(req.headers.authorization ?? "");
        const [accessKeyId, region] = scope ? [scope[1], scope[2]] : [undefined, undefined];
        const record = (answered: KafkaConnectApiCall["answered"]) =>
            this.calls.push(clean({ operation: route?.operation ?? "unknown", path: url.pathname, query, region, accessKeyId, answered }));
        const fault = this.takeFault(route?.operation);
        if (fault === "hang") return void record("hang");
        if (fault === "reset") {
            record("reset");
            return void req.socket.destroy();
        }
        try {
            if (fault !== undefined) throw new HttpFault(fault, FAULT_TYPES[fault], `injected fault ${fault}`);
            if (!region)
                throw new HttpFault(403, "ForbiddenException", "missing or malformed SigV4 signature for the service kafkaconnect");
            if (!route) throw new HttpFault(404, "UnknownOperationException", `no MSK Connect route for ${req.method} ${url.pathname}`);
            const op = route.operation;
            const body = op === "TagResource" ? this.tagResource(route.arn!, text) : this.answer(op, route.arn, query);
            record(200);
            res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": crypto.randomUUID() });
            res.end(JSON.stringify(body));
        } catch (err) {
            const e = err instanceof HttpFault ? err : new HttpFault(500, "InternalServerErrorException", String(err));
            record(e.status);
            res.writeHead(e.status, {
                "content-type": "application/json",
                "x-amzn-errortype": e.type,
                "x-amzn-requestid": crypto.randomUUID(),
            });
            res.end(JSON.stringify({ message: e.message }));
        }
    }

    private takeFault(operation: KafkaConnectOperationName | undefined): FaultSpec["fault"] | undefined {
        const f = this.faults.find((x) => x.left > 0 && (x.spec.operation === undefined || x.spec.operation === operation));
        if (!f) return undefined;
        f.left--;
        return f.spec.fault;
    }

    /** TagResource (`POST /v1/tags/{resourceArn}`, body `{"tags": {...}}`): merges the tags; an unknown connector is NotFound. */
    private tagResource(arn: string, text: string): object {
        const body = JSON.parse(text || "{}") as { tags?: Record<string, string> };
        if (arn.includes(":connector/") && !this.connectors.has(arn))
            throw new HttpFault(404, "NotFoundException", `connector ${arn} not found`);
        this.tags.set(arn, { ...this.tags.get(arn), ...body.tags });
        return {};
    }

    /** Path labels are URL-encoded whole (an ARN's `/` and `:` included), so split first, then decode. */
    private route(method: string, pathname: string): { operation: KafkaConnectOperationName; arn?: string } | undefined {
        const parts = pathname
            .split("/")
            .filter((p) => p !== "")
            .map(decodeURIComponent);
        if (parts[0] !== "v1") return undefined;
        if (method === "POST" && parts[1] === "tags" && parts.length === 3) return { operation: "TagResource", arn: parts[2] };
        if (method !== "GET") {
            const action = LIFECYCLE_ROUTES[`${method} ${parts[3]}`];
            return parts[1] === "connectors" && parts.length === 4 && action ? { operation: action, arn: parts[2] } : undefined;
        }
        if (parts[1] === "connectors" && parts.length === 2) return { operation: "ListConnectors" };
        if (parts[1] === "connectors" && parts.length === 3) return { operation: "DescribeConnector", arn: parts[2] };
        if (parts[1] === "connectors" && parts.length === 4 && parts[3] === "operations")
            return { operation: "ListConnectorOperations", arn: parts[2] };
        if (parts[1] === "connectorOperations" && parts.length === 3) return { operation: "DescribeConnectorOperation", arn: parts[2] };
        return undefined;
    }

    private answer(
        operation: Exclude<KafkaConnectOperationName, "TagResource">,
        arn: string | undefined,
        query: Record<string, string>,
    ): object {
        switch (operation) {
            case "ListConnectors": {
                const prefix = query.connectorNamePrefix ?? "";
                const all = [...this.connectors.values()].filter((c) => c.spec.connectorName.startsWith(prefix));
                const page = this.page(all, query);
                return clean({ connectors: page.items.map((c) => this.summary(c)), nextToken: page.nextToken });
            }
            case "DescribeConnector": {
                const c = this.connector(arn!);
                const shown = this.describeConnector(c, c.described);
                c.described++;
                return shown;
            }
            case "ListConnectorOperations": {
                const page = this.page(this.connector(arn!).operations, query);
                return clean({ connectorOperations: page.items.map((o) => this.operationSummary(o)), nextToken: page.nextToken });
            }
            case "DescribeConnectorOperation": {
                const o = this.operations.get(arn!);
                if (!o) throw new HttpFault(404, "NotFoundException", `connector operation ${arn} not found`);
                const shown = this.describeOperation(o);
                o.described++;
                return shown;
            }
            case "PauseConnector":
                return this.startOperation(this.connector(arn!), "PAUSE", false);
            case "ResumeConnector":
                return this.startOperation(this.connector(arn!), "RESUME", false);
            case "RestartConnector":
                return this.startOperation(this.connector(arn!), "RESTART", query.onlyFailedTasks === "true");
        }
    }

    /** Refuse what MSK Connect refuses, else start the operation; answers the model's response shape. */
    private startOperation(c: ConnectorEntry, kind: TimedOperation["kind"], onlyFailedTasks: boolean): object {
        const rule = LIFECYCLE[kind];
        const conflict = kind === "RESTART" ? "BadRequestException" : "ConflictException";
        const busy = c.operations.find((o) => IN_PROGRESS_OPERATION.test(this.operationState(o, Math.max(0, o.described - 1))));
        if (busy) {
            throw new HttpFault(
                kind === "RESTART" ? 400 : 409,
                conflict,
                `Connector ${c.spec.connectorName} has an operation in progress (${busy.arn}); retry after it completes.`,
            );
        }
        const state = this.stateNow(c, Math.max(0, c.described - 1)).connectorState;
        if (state !== rule.needs) {
            throw new HttpFault(400, "BadRequestException", `${rule.action} requires the connector to be ${rule.needs}; it is ${state}.`);
        }
        if (onlyFailedTasks && !/^3\.(7|[89]|\d\d)|^[4-9]\./.test(c.spec.kafkaConnectVersion ?? "2.7.1")) {
            throw new HttpFault(400, "BadRequestException", "onlyFailedTasks requires Kafka Connect version 3.7 or later.");
        }
        const script = c.next;
        c.next = undefined;
        const timed: TimedOperation = {
            kind,
            startedAt: this.clock.now(),
            durationMs: script?.durationMs ?? this.clock.operationMs,
            before: state,
            ...(script?.fail ? { script: script.fail } : {}),
        };
        const opArn = `${c.arn.replace(":connector/", ":connector-operation/")}/${crypto.randomUUID()}`;
        const spec: FakeOperationSpec = {
            connectorOperationType: `${kind}_CONNECTOR`,
            states: [],
            creationTime: new Date(timed.startedAt).toISOString(),
        };
        const entry: OperationEntry = { spec, arn: opArn, connectorArn: c.arn, described: 0, timed };
        c.operations.push(entry);
        this.operations.set(opArn, entry);
        c.running = entry;
        return { connectorArn: c.arn, connectorOperationArn: opArn };
    }

    /** A timed operation's state now, and (once it has ended) the connector left as it ends. */
    private timedState(o: OperationEntry & { timed: TimedOperation }): string {
        const t = o.timed;
        if (this.clock.now() - t.startedAt < t.durationMs) return `${t.kind}_IN_PROGRESS`;
        return t.script ? `${t.kind}_FAILED` : `${t.kind}_COMPLETE`;
    }

    private operationState(o: OperationEntry, n: number): string {
        return o.timed ? this.timedState(o as OperationEntry & { timed: TimedOperation }) : step(o.spec.states, n);
    }

    /** The connector's state: the script's, unless a lifecycle operation runs or has left it in another. */
    private stateNow(c: ConnectorEntry, n: number): ConnectorStateStep {
        const scripted = this.currentStep(c, n);
        const op = c.running;
        if (op?.timed) {
            const state = this.timedState(op as OperationEntry & { timed: TimedOperation });
            if (state.endsWith("_IN_PROGRESS"))
                return { ...scripted, connectorState: LIFECYCLE[op.timed.kind].during, stateDescription: undefined };
            const failed = op.timed.script;
            c.live = failed
                ? { connectorState: failed.connectorState ?? op.timed.before, stateDescription: failed.errorInfo }
                : { connectorState: LIFECYCLE[op.timed.kind].after };
            c.running = undefined;
        }
        return c.live ? { ...scripted, ...c.live } : scripted;
    }

    private connector(arn: string): ConnectorEntry {
        const c = this.connectors.get(arn);
        if (!c) throw new HttpFault(404, "NotFoundException", `connector ${arn} not found`);
        return c;
    }

    private page<T>(items: T[], query: Record<string, string>): { items: T[]; nextToken?: string } {
        const max = query.maxResults === undefined ? 100 : Number(query.maxResults);
        if (!Number.isInteger(max) || max < 1 || max > 100)
            throw new HttpFault(400, "BadRequestException", "maxResults must be between 1 and 100");
        let start = 0;
        if (query.nextToken !== undefined) {
            const m = /^offset:(\d+)$/.exec(Buffer.from(query.nextToken, "base64").toString("utf8"));
            if (!m) throw new HttpFault(400, "BadRequestException", "invalid nextToken");
            start = Number(m[1]);
        }
        const end = start + Math.min(max, this.pageSize);
        return {
            items: items.slice(start, end),
            nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString("base64") : undefined,
        };
    }

    private currentStep(c: ConnectorEntry, n: number): ConnectorStateStep {
        return step(c.spec.states ?? [{ connectorState: "RUNNING" }], n);
    }

    private summary(c: ConnectorEntry): object {
        const s = this.stateNow(c, Math.max(0, c.described - 1));
        return clean({
            connectorArn: c.arn,
            connectorName: c.spec.connectorName,
            connectorState: s.connectorState,
            creationTime: c.spec.creationTime ?? "2025-01-01T00:00:00.000Z",
            currentVersion: s.currentVersion ?? c.spec.currentVersion ?? "1",
            kafkaConnectVersion: c.spec.kafkaConnectVersion ?? "2.7.1",
            logDelivery: this.logDelivery(c),
        });
    }

    private logDelivery(c: ConnectorEntry): object | undefined {
        return c.spec.logGroup ? { workerLogDelivery: { cloudWatchLogs: { enabled: true, logGroup: c.spec.logGroup } } } : undefined;
    }

    private describeConnector(c: ConnectorEntry, n: number): object {
        const s = this.stateNow(c, n);
        return clean({
            capacity: c.spec.capacity ?? { provisionedCapacity: { mcuCount: 1, workerCount: 1 } },
            connectorArn: c.arn,
            connectorConfiguration: s.connectorConfiguration ?? c.spec.connectorConfiguration,
            connectorName: c.spec.connectorName,
            connectorState: s.connectorState,
            creationTime: c.spec.creationTime ?? "2025-01-01T00:00:00.000Z",
            currentVersion: s.currentVersion ?? c.spec.currentVersion ?? "1",
            kafkaCluster: {
                apacheKafkaCluster: {
                    bootstrapServers: "b-1.local:9098",
                    vpc: { securityGroups: ["sg-local"], subnets: ["subnet-local"] },
                },
            },
            kafkaClusterClientAuthentication: { authenticationType: "IAM" },
            kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
            kafkaConnectVersion: c.spec.kafkaConnectVersion ?? "2.7.1",
            logDelivery: this.logDelivery(c),
            serviceExecutionRoleArn: `arn:aws:iam::${this.accountId}:role/${c.spec.connectorName}-role`,
            stateDescription: s.stateDescription,
        });
    }

    private operationSummary(o: OperationEntry): object {
        return clean({
            connectorOperationArn: o.arn,
            connectorOperationType: o.spec.connectorOperationType ?? "UPDATE_CONNECTOR_CONFIGURATION",
            connectorOperationState: this.operationState(o, Math.max(0, o.described - 1)),
            creationTime: o.spec.creationTime,
            endTime: this.endTime(o),
        });
    }

    private describeOperation(o: OperationEntry): object {
        return clean({
            connectorArn: o.connectorArn,
            connectorOperationArn: o.arn,
            connectorOperationState: this.operationState(o, o.described),
            connectorOperationType: o.spec.connectorOperationType ?? "UPDATE_CONNECTOR_CONFIGURATION",
            operationSteps: o.timed ? this.timedSteps(o) : o.spec.operationSteps,
            originConnectorConfiguration: o.spec.originConnectorConfiguration,
            targetConnectorConfiguration: o.spec.targetConnectorConfiguration,
            errorInfo: o.timed ? this.timedEnd(o)?.errorInfo : o.spec.errorInfo,
            creationTime: o.spec.creationTime,
            endTime: this.endTime(o),
        });
    }

    /** How a timed operation ended (undefined while it runs, or when it completed). */
    private timedEnd(o: OperationEntry): NextOperationScript["fail"] | undefined {
        return o.timed && !this.timedState(o as OperationEntry & { timed: TimedOperation }).endsWith("_IN_PROGRESS")
            ? o.timed.script
            : undefined;
    }

    private timedSteps(o: OperationEntry): readonly { stepType: string; stepState: string }[] | undefined {
        const failed = this.timedEnd(o);
        if (failed) return failed.operationSteps;
        const state = this.timedState(o as OperationEntry & { timed: TimedOperation });
        return [{ stepType: "INITIALIZE_UPDATE", stepState: state.endsWith("_IN_PROGRESS") ? "IN_PROGRESS" : "COMPLETED" }];
    }

    private endTime(o: OperationEntry): string | undefined {
        if (!o.timed) return o.spec.endTime;
        const done = !this.timedState(o as OperationEntry & { timed: TimedOperation }).endsWith("_IN_PROGRESS");
        return done ? new Date(o.timed.startedAt + o.timed.durationMs).toISOString() : undefined;
    }
}

/** Start the stand-in on 127.0.0.1 at a free port. `pageSize` caps every page (to exercise pagination). */
export async function startKafkaConnectApi(
    o: {
        region?: string;
        accountId?: string;
        pageSize?: number;
        /** How long a pause, resume or restart stays in progress. @default 200 */
        operationMs?: number;
        /** The server's clock (epoch ms), for tests that move time themselves. @default Date.now */
        now?: () => number;
    } = {},
): Promise<LocalKafkaConnectApi> {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const server = http.createServer();
    const clock = { now: o.now ?? (() => Date.now()), operationMs: o.operationMs ?? 200 };
    const api = new KafkaConnectApiServer(
        endpoint,
        o.region ?? "us-east-1",
        o.accountId ?? "111122223333",
        o.pageSize ?? 100,
        server,
        clock,
    );
    server.on("request", (req, res) => api.handle(req, res));
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
    });
    return api;
}
