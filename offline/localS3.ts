/**
 * Local S3 servers on loopback, for the tests, `npm run demo` and `npm run bench`: moto (implements
 * SelectObjectContent) and s3rver (answers it with NotImplemented). Each start picks a free port and each
 * server is stopped by its caller.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export function freePort(): Promise<number> {
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
    process.env.AWS_ACCESS_KEY_ID = "local-only-placeholder";
    process.env.AWS_SECRET_ACCESS_KEY = "local-only-placeholder";
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
        stop: () =>
            new Promise<void>((resolve) => {
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
