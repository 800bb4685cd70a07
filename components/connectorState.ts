/**
 * The connector's desired state as code (`connectorState`): `ConnectorState`, after the connector, pauses or
 * resumes it and waits for the operation (a failed one fails `pulumi up` with AWS's errorInfo and the failed
 * step); `ConnectorChangeGuard`, before the connector, refuses up front a configuration or capacity change
 * that would reach a paused connector (MSK Connect needs skipHealthValidation for that, which the AWS
 * provider lacks). Both hold no client or credentials: the operations run with the ambient chain, or the
 * stack's profile given as a secret input.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyDesiredState, DesiredState, pausedChangeRefusal, seeConnector, stateOf, withKafkaConnect } from "../operate";
import { isConnectorHealthError } from "../verification";
import { withSecretProfile } from "./secretProfile";

export interface ConnectorStateInputs {
    connectorArn: string;
    region: string;
    desiredState: DesiredState;
    /** The whole apply's deadline. */
    timeoutSeconds: number;
    pollIntervalSeconds: number;
    profile?: string;
    /** An MSK Connect-compatible server (tests). */
    endpoint?: string;
}

export interface ConnectorStateOutputs extends ConnectorStateInputs {
    /** The state applied (running, paused), or after a refresh the connector's live state. */
    state: string;
    /** The pause or resume this update started, if one was needed. */
    operationArn?: string;
}

function operateOptions(i: Pick<ConnectorStateInputs, "region" | "timeoutSeconds" | "pollIntervalSeconds" | "profile" | "endpoint">) {
    return {
        region: i.region,
        timeoutSeconds: i.timeoutSeconds,
        pollIntervalSeconds: i.pollIntervalSeconds,
        ...(i.profile ? { profile: i.profile } : {}),
        ...(i.endpoint ? { endpoint: i.endpoint } : {}),
    };
}

async function apply(inputs: ConnectorStateInputs): Promise<ConnectorStateOutputs> {
    const applied = await withKafkaConnect({ connector: inputs.connectorArn, ...operateOptions(inputs) }, (api, arn) =>
        applyDesiredState(api, arn, inputs.desiredState),
    );
    return { ...inputs, state: applied.state, ...(applied.operationArn ? { operationArn: applied.operationArn } : {}) };
}

export const connectorStateProvider: pulumi.dynamic.ResourceProvider<ConnectorStateInputs, ConnectorStateOutputs> = {
    async check(_olds, news) {
        const failures =
            news.desiredState === "running" || news.desiredState === "paused"
                ? []
                : [
                      {
                          property: "desiredState",
                          reason: `desiredState must be "running" or "paused"; got ${JSON.stringify(news.desiredState)}`,
                      },
                  ];
        return { inputs: news, failures };
    },
    async create(inputs) {
        return { id: `${inputs.connectorArn}#state`, outs: await apply(inputs) };
    },
    /** A change of the asked state, of the connector, or a refresh that found it in another state, is applied. */
    async diff(_id, olds, news) {
        const changed = [
            ...((olds.state ?? olds.desiredState) !== news.desiredState ? ["desiredState"] : []),
            ...(olds.connectorArn !== news.connectorArn ? ["connectorArn"] : []),
        ];
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },
    async update(_id, _olds, news) {
        return { outs: await apply(news) };
    },
    /** `pulumi refresh`: the connector's live state, so a pause or resume made by hand shows as a change to undo. */
    async read(id, props) {
        const p = props as ConnectorStateOutputs;
        const live = await withKafkaConnect(
            { connector: p.connectorArn, ...operateOptions(p) },
            async (api, arn) => (await seeConnector(api, arn)).seen,
        ).catch((e: unknown) => {
            // A connector deleted outside Pulumi: its own resource's refresh says so; this one keeps what it knew.
            if (isConnectorHealthError(e) && e.kind === "connector-not-found") return undefined;
            throw e;
        });
        return { id, props: live ? { ...p, state: stateOf(live.state) } : p };
    },
    /** The connector is deleted (or kept) by its own resource; leaving this one changes nothing. */
    async delete() {
        return;
    },
};

export interface ConnectorStateArgs {
    readonly connectorArn: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    /** @default "running" */
    readonly desiredState?: pulumi.Input<DesiredState>;
    /** @default 900 */
    readonly timeoutSeconds?: pulumi.Input<number>;
    /** @default 15 */
    readonly pollIntervalSeconds?: pulumi.Input<number>;
    /** The stack's AWS profile, as a secret. @default the ambient credential chain */
    readonly profile?: pulumi.Input<string>;
    /** An MSK Connect-compatible server (tests). @default AWS */
    readonly endpoint?: pulumi.Input<string>;
}

/** Keeps the connector running or paused, as the stack asks; `pulumi preview` shows a change of it as an update. */
export class ConnectorState extends pulumi.dynamic.Resource {
    declare public readonly state: pulumi.Output<string>;
    declare public readonly operationArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: ConnectorStateArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            connectorStateProvider,
            name,
            {
                connectorArn: args.connectorArn,
                region: args.region,
                desiredState: args.desiredState ?? "running",
                timeoutSeconds: args.timeoutSeconds ?? 900,
                pollIntervalSeconds: args.pollIntervalSeconds ?? 15,
                profile: args.profile,
                endpoint: args.endpoint,
                state: undefined,
                operationArn: undefined,
            },
            withSecretProfile(opts),
            "operate",
            "ConnectorState",
        );
    }
}

export interface ChangeGuardInputs {
    connectorName: string;
    region: string;
    desiredState: DesiredState;
    /** A digest of the connector's configuration and capacity: a change means an UpdateConnector. */
    changeDigest: string;
    profile?: string;
    endpoint?: string;
}

function guardFailure(olds: Partial<ChangeGuardInputs>, news: ChangeGuardInputs): string | undefined {
    if (olds.changeDigest === undefined || olds.changeDigest === news.changeDigest || olds.desiredState !== "paused") return undefined;
    return pausedChangeRefusal(news.connectorName, "was left paused by the last `pulumi up` (msk-s3-sink:connectorState paused)");
}

/** The live check: a connector paused by hand (`npm run connector -- pause`) is refused the same way. */
async function refuseIfPausedNow(olds: ChangeGuardInputs, news: ChangeGuardInputs): Promise<void> {
    if (olds.changeDigest === news.changeDigest) return;
    const live = await withKafkaConnect(
        { connector: news.connectorName, ...operateOptions({ ...news, timeoutSeconds: 60, pollIntervalSeconds: 5 }) },
        async (api, arn) => (await seeConnector(api, arn)).seen,
    ).catch((e: unknown) => {
        // No connector of that name (yet): nothing paused to protect; the connector's own step creates it.
        if (isConnectorHealthError(e) && e.kind === "connector-not-found") return undefined;
        throw e;
    });
    if (live && (live.state === "PAUSED" || live.state === "PAUSING"))
        throw new Error(pausedChangeRefusal(news.connectorName, `is ${live.state} now`));
}

export const changeGuardProvider: pulumi.dynamic.ResourceProvider<ChangeGuardInputs, ChangeGuardInputs> = {
    /** In `pulumi preview` too: a change to a connector this stack left paused is refused before anything runs. */
    async check(olds, news) {
        const reason = guardFailure(olds ?? {}, news);
        return { inputs: news, failures: reason ? [{ property: "changeDigest", reason }] : [] };
    },
    async create(inputs) {
        return { id: `${inputs.connectorName}#change-guard`, outs: inputs };
    },
    async diff(_id, olds, news) {
        const changed =
            olds.changeDigest !== news.changeDigest || olds.desiredState !== news.desiredState || olds.connectorName !== news.connectorName;
        return { changes: changed, replaces: [], deleteBeforeReplace: false };
    },
    async update(_id, olds, news) {
        const reason = guardFailure(olds, news);
        if (reason) throw new Error(reason);
        await refuseIfPausedNow(olds, news);
        return { outs: news };
    },
    async delete() {
        return;
    },
};

export interface ConnectorChangeGuardArgs {
    readonly connectorName: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    readonly desiredState: pulumi.Input<DesiredState>;
    readonly changeDigest: pulumi.Input<string>;
    readonly profile?: pulumi.Input<string>;
    readonly endpoint?: pulumi.Input<string>;
}

/** Give the connector `dependsOn` this, so the refusal comes before any UpdateConnector. */
export class ConnectorChangeGuard extends pulumi.dynamic.Resource {
    constructor(name: string, args: ConnectorChangeGuardArgs, opts?: pulumi.CustomResourceOptions) {
        super(changeGuardProvider, name, { ...args }, withSecretProfile(opts), "operate", "ConnectorChangeGuard");
    }
}
