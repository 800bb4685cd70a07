/** Shared test helpers: the mock runtime, the dev stack's settings, and local S3 servers on loopback. */
import * as child_process from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, RawConfig, StackSettings } from "../config";
import { MockFixtures, MockHarness, settle, valueOf } from "../lib/mockRuntime";
import { readStackFile } from "../lib/stackFile";
import { buildProgram, ProgramOutputs } from "../program";

export const ROOT = path.resolve(__dirname, "..");

/** The dev stack file's raw config, with overrides (a value of undefined removes the key). */
export function devRaw(overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const raw: Record<string, string> = { ...readStackFile(ROOT, "dev").raw };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete raw[k];
        else raw[k] = v;
    }
    return raw;
}

export function settingsFrom(raw: RawConfig, secretKeys: string[] = []): StackSettings {
    return parseStackConfig(raw, { stack: "dev", secretKeys, baseDir: ROOT });
}

/** A fake plugin zip in a temp cache dir, and config overrides that pin its digest. */
export function fakeArtifact(): { dir: string; content: Buffer; sha256: string; overrides: Record<string, string> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msk-s3-sink-artifact-"));
    const content = Buffer.from(`PK\u0003\u0004 fake connector zip ${crypto.randomUUID()}`);
    const sha256 = crypto.createHash("sha256").update(content).digest("hex");
    return { dir, content, sha256, overrides: { "msk-s3-sink:pluginSha256": sha256, "msk-s3-sink:pluginCacheDir": dir } };
}

/** Writes the fake zip where the download command was told to put it (what curl would do). */
export function downloadWrites(content: Buffer): (args: Record<string, unknown>) => void {
    return (args) => {
        const env = args.environment as Record<string, string>;
        fs.mkdirSync(path.dirname(env.ARTIFACT_FILE), { recursive: true });
        fs.writeFileSync(env.ARTIFACT_FILE, content);
    };
}

export async function withMocks(fixtures: MockFixtures, preview = false): Promise<MockHarness> {
    const harness = new MockHarness(fixtures);
    await pulumi.runtime.setMocks(harness.mocks(), "msk-s3-sink", "dev", preview);
    return harness;
}

/** Render the whole program for settings; resolves every output. */
export async function renderProgram(
    settings: StackSettings,
    fixtures: Partial<MockFixtures> = {},
    preview = false,
): Promise<{ harness: MockHarness; outputs: Record<string, unknown> }> {
    const harness = await withMocks({ region: settings.region, accountId: settings.accountId, ...fixtures }, preview);
    const program: ProgramOutputs = buildProgram(settings);
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(program)) outputs[k] = await valueOf(v as pulumi.Output<unknown>);
    await settle();
    return { harness, outputs };
}

/** Resolve every output of a component (and let registrations finish). */
export async function resolveAll(...outputs: pulumi.Output<unknown>[]): Promise<unknown[]> {
    const values = await Promise.all(outputs.map((o) => valueOf(o)));
    await settle();
    return values;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
        srv.on("error", reject);
    });
}

async function waitForPort(port: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        const ok = await new Promise<boolean>((resolve) => {
            const sock = net.connect(port, "127.0.0.1", () => {
                sock.end();
                resolve(true);
            });
            sock.on("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server on 127.0.0.1:${port} did not start within ${ms} ms`);
}

export interface LocalS3 {
    readonly endpoint: string;
    stop(): Promise<void>;
}

/** Dummy credentials for the local servers only (they accept any). */
export function useLocalCredentials(): void {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    process.env.AWS_ACCESS_KEY_ID = "local-test-key";
    process.env.AWS_SECRET_ACCESS_KEY = "local-test-secret";
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
}

/** moto's S3 server on loopback (implements SelectObjectContent). */
export async function startMoto(): Promise<LocalS3> {
    useLocalCredentials();
    const port = await freePort();
    const proc = child_process.spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    let exited = false;
    proc.on("exit", () => (exited = true));
    proc.on("error", () => (exited = true));
    try {
        await waitForPort(port, 15000);
    } catch {
        proc.kill("SIGKILL");
        throw new Error(
            `moto's S3 server did not start (python3 -m moto.server -H 127.0.0.1 -p ${port}${exited ? " exited at once" : " timed out"}). ` +
                "The S3 Select tests need python3 with moto[server] 5.x: pip install 'moto[server]'.",
        );
    }
    return {
        endpoint: `http://127.0.0.1:${port}`,
        stop: () => new Promise<void>((resolve) => {
            if (exited) return resolve();
            proc.once("exit", () => resolve());
            proc.kill("SIGTERM");
        }),
    };
}

/** s3rver on loopback (answers SelectObjectContent with NotImplemented). */
export async function startS3rver(): Promise<LocalS3> {
    useLocalCredentials();
    // s3rver accepts only its own fixed development key pair.
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require("s3rver");
    const port = await freePort();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
    const server = new S3rver({ port, address: "127.0.0.1", silent: true, directory });
    await server.run();
    return {
        endpoint: `http://127.0.0.1:${port}`,
        stop: async () => {
            await server.close();
            fs.rmSync(directory, { recursive: true, force: true });
        },
    };
}
