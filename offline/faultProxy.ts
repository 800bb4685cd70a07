/**
 * Faults the local S3 servers cannot make, for the tests and the benchmark: a proxy on loopback in front of
 * moto or s3rver that answers chosen S3 calls with an error (503 SlowDown, 500, 403, NoSuchKey,
 * OverMaxRecordSize), an S3 Select error event inside a 200 stream, a connection reset, or silence, a given
 * number of times, and forwards everything else untouched (the Host header too, so signatures still match).
 * And a server that accepts connections and never answers.
 */
import * as http from "http";
import * as net from "net";
import * as zlib from "zlib";

export type S3CallName = "ListObjectsV2" | "GetObject" | "SelectObjectContent" | "other";

export type Fault =
    /** An S3 XML error with this status and code. */
    | { readonly kind: "error"; readonly status: number; readonly code: string; readonly message?: string }
    /** HTTP 200 with an event stream holding one error event (as S3 Select reports errors mid-stream). */
    | { readonly kind: "select-error-event"; readonly code: string; readonly message: string }
    /** HTTP 200 with S3 Select's own answer: these result records, then Stats and End (as AWS answers, where moto differs). */
    | { readonly kind: "select-answer"; readonly records: string }
    /** Destroy the connection without answering. */
    | { readonly kind: "reset" }
    /** Keep the connection open and never answer. */
    | { readonly kind: "silence" }
    /** Forward, but pass on only the answer's headers and first `bytes` bytes, then fall silent. */
    | { readonly kind: "stall-after"; readonly bytes: number };

export interface FaultRule {
    readonly call: S3CallName;
    readonly fault: Fault;
    /** How many matching requests get the fault before the proxy forwards them. @default every one */
    readonly times?: number;
}

export interface FaultProxy {
    readonly endpoint: string;
    /** Every request seen, in order: the call and the fault it got (undefined when forwarded). */
    readonly seen: { call: S3CallName; fault?: Fault["kind"] }[];
    stop(): Promise<void>;
}

/** Which S3 call a path-style request is. */
export function callOfRequest(method: string, url: string): S3CallName {
    const [path, query = ""] = url.split("?");
    const params = new URLSearchParams(query);
    const objectPath = path.split("/").filter(Boolean).length > 1;
    if (method === "POST" && params.has("select")) return "SelectObjectContent";
    if (method === "GET" && !objectPath && params.get("list-type") === "2") return "ListObjectsV2";
    if (method === "GET" && objectPath) return "GetObject";
    return "other";
}

/** One AWS event-stream message with string headers (the framing SelectObjectContent answers in). */
export function eventStreamMessage(headers: Record<string, string>, payload: Buffer = Buffer.alloc(0)): Buffer {
    const encoded = Buffer.concat(
        Object.entries(headers).map(([name, value]) => {
            const n = Buffer.from(name);
            const v = Buffer.from(value);
            const head = Buffer.alloc(1 + n.length + 3);
            head.writeUInt8(n.length, 0);
            n.copy(head, 1);
            head.writeUInt8(7, 1 + n.length); // type 7: string
            head.writeUInt16BE(v.length, 2 + n.length);
            return Buffer.concat([head, v]);
        }),
    );
    const total = 12 + encoded.length + payload.length + 4;
    const prelude = Buffer.alloc(8);
    prelude.writeUInt32BE(total, 0);
    prelude.writeUInt32BE(encoded.length, 4);
    const preludeCrc = Buffer.alloc(4);
    preludeCrc.writeUInt32BE(zlib.crc32(prelude), 0);
    const body = Buffer.concat([prelude, preludeCrc, encoded, payload]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body), 0);
    return Buffer.concat([body, crc]);
}

/** A complete SelectObjectContent answer: one Records event, Stats, End. */
function selectAnswer(records: string): Buffer {
    const bytes = Buffer.byteLength(records);
    const stats = `<Stats><BytesScanned>${bytes}</BytesScanned><BytesProcessed>${bytes}</BytesProcessed><BytesReturned>${bytes}</BytesReturned></Stats>`;
    const event = (type: string, contentType?: string) => ({
        ":message-type": "event",
        ":event-type": type,
        ...(contentType ? { ":content-type": contentType } : {}),
    });
    return Buffer.concat([
        eventStreamMessage(event("Records", "application/octet-stream"), Buffer.from(records)),
        eventStreamMessage(event("Stats", "text/xml"), Buffer.from(stats)),
        eventStreamMessage(event("End")),
    ]);
}

function answer(res: http.ServerResponse, fault: Fault): void {
    if (fault.kind === "reset") {
        res.socket?.destroy();
    } else if (fault.kind === "error") {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${fault.message ?? fault.code}</Message><RequestId>fault-proxy</RequestId></Error>`;
        res.writeHead(fault.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml) });
        res.end(xml);
    } else if (fault.kind === "select-error-event") {
        const event = eventStreamMessage({ ":message-type": "error", ":error-code": fault.code, ":error-message": fault.message });
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": event.length });
        res.end(event);
    } else if (fault.kind === "select-answer") {
        const events = selectAnswer(fault.records);
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": events.length });
        res.end(events);
    }
    // silence: leave the request open; stop() closes it
}

/** Pass the request on; with `stallAfter`, only that many bytes of the answer come back. */
function forward(target: URL, req: http.IncomingMessage, res: http.ServerResponse, stallAfter?: number): void {
    const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            if (stallAfter === undefined) {
                up.pipe(res);
                return;
            }
            let sent = 0;
            up.on("data", (chunk: Buffer) => {
                if (sent < stallAfter) res.write(chunk.subarray(0, stallAfter - sent));
                sent += chunk.length;
            });
        },
    );
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
}

/** Start a fault-injecting proxy on 127.0.0.1 in front of `targetEndpoint` (an http:// URL). */
export function startFaultProxy(targetEndpoint: string, rules: readonly FaultRule[]): Promise<FaultProxy> {
    const target = new URL(targetEndpoint);
    const left = rules.map((r) => r.times ?? Number.POSITIVE_INFINITY);
    const seen: FaultProxy["seen"] = [];
    const sockets = new Set<net.Socket>();
    const server = http.createServer((req, res) => {
        const call = callOfRequest(req.method ?? "GET", req.url ?? "/");
        const i = rules.findIndex((r, k) => r.call === call && left[k] > 0);
        if (i < 0) {
            seen.push({ call });
            forward(target, req, res);
            return;
        }
        left[i]--;
        const fault = rules[i].fault;
        seen.push({ call, fault: fault.kind });
        if (fault.kind === "stall-after") return forward(target, req, res, fault.bytes);
        req.resume();
        answer(res, fault);
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    return listen(server, sockets, (endpoint) => ({ endpoint, seen }));
}

/** A server on 127.0.0.1 that accepts connections and never answers (nor closes them). */
export function startSilentServer(): Promise<{ endpoint: string; connections: () => number; stop(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    let count = 0;
    const server = net.createServer((s) => {
        count++;
        s.on("error", () => undefined);
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    return listen(server, sockets, (endpoint) => ({ endpoint, connections: () => count }));
}

function listen<T>(server: net.Server, sockets: Set<net.Socket>, make: (endpoint: string) => T): Promise<T & { stop(): Promise<void> }> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            const stop = (): Promise<void> =>
                new Promise((done) => {
                    for (const s of sockets) s.destroy();
                    server.close(() => done());
                });
            resolve({ ...make(`http://127.0.0.1:${port}`), stop });
        });
    });
}
