import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as child_process from "child_process";
import * as net from "net";
import { DOWNLOAD_SCRIPT, downloadEnvironment, fetchPluginZip } from "../../preflight";
import { devRaw, downloadWrites, fakeArtifact, settingsFrom, withMocks } from "../helpers";

const FIXTURE = { region: "us-east-2", accountId: "111122223333" };
const FILE = "confluentinc-kafka-connect-s3-10.5.15.zip";

/** The dev stack downloading from `url` into the fake artifact's cache, pinned to its digest. */
const stack = (a: ReturnType<typeof fakeArtifact>, url = "https://example.com/x.zip") =>
    settingsFrom(devRaw({ ...a.overrides, "msk-s3-sink:pluginUrl": url }));

/** What curl leaves when a server answers an error page instead of the zip. */
const writesErrorPage = (args: Record<string, unknown>) => {
    const file = (args.environment as Record<string, string>).ARTIFACT_FILE;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "<html>an error page, not a zip</html>");
};

describe("the connector zip, fetched before anything is registered", () => {
    it("downloads it in a preview too, into <cacheDir>/<sha256>/, and returns the checked file", async () => {
        const a = fakeArtifact();
        const harness = await withMocks({ ...FIXTURE, onRun: downloadWrites(a.content), computeOutputs: false }, true);
        const file = await fetchPluginZip(stack(a), {});
        assert.strictEqual(file, path.join(a.dir, a.sha256, FILE));
        const run = harness.invoked("command:local:run");
        assert.strictEqual(run.length, 1);
        assert.deepStrictEqual(run[0].args.environment, {
            ARTIFACT_URL: "https://example.com/x.zip",
            ARTIFACT_FILE: file,
            ARTIFACT_CONNECT_SECONDS: "20",
            ARTIFACT_STALL_SECONDS: "60",
            ARTIFACT_TOTAL_SECONDS: "1800",
        });
    });

    it("uses the cached zip without downloading when the cache holds the pinned digest", async () => {
        const a = fakeArtifact();
        fs.mkdirSync(path.join(a.dir, a.sha256));
        fs.writeFileSync(path.join(a.dir, a.sha256, FILE), a.content);
        const harness = await withMocks({ ...FIXTURE, onRun: () => assert.fail("nothing may be downloaded") }, true);
        assert.strictEqual(await fetchPluginZip(stack(a), {}), path.join(a.dir, a.sha256, FILE));
        assert.deepStrictEqual(harness.invoked("command:local:run"), []);
    });

    it("fails, with the message alone, when the download does not match the pinned digest, and deletes it", async () => {
        const a = fakeArtifact();
        await withMocks({ ...FIXTURE, onRun: writesErrorPage });
        await assert.rejects(fetchPluginZip(stack(a), {}), (e: Error) => {
            assert.match(
                e.message,
                new RegExp(
                    `^refusing to upload ${FILE.replace(/[.]/g, "\\.")}: its SHA-256 is [0-9a-f]{64} but msk-s3-sink:pluginSha256 pins ${a.sha256} \\(file from https://example\\.com/x\\.zip\\)`,
                ),
            );
            assert.match(e.message, /pulumi config set msk-s3-sink:pluginSha256 [0-9a-f]{64}/);
            assert.ok(!e.message.includes("error serializing"), e.message);
            return true;
        });
        assert.strictEqual(fs.existsSync(path.join(a.dir, a.sha256, FILE)), false, "the bad download is deleted, never reused");
    });

    it("leaves a signed mirror URL's token out of the refusal", async () => {
        const a = fakeArtifact();
        await withMocks({ ...FIXTURE, onRun: writesErrorPage });
        await assert.rejects(fetchPluginZip(stack(a, "https://mirror.example.com/x.zip?X-Amz-Signature=abc123secret"), {}), (e: Error) => {
            assert.match(e.message, /\(file from https:\/\/mirror\.example\.com\/x\.zip \(query left out\)\)/);
            assert.ok(!e.message.includes("abc123secret"));
            return true;
        });
    });

    it("says where the download failed, naming the setting and what to do", async () => {
        const a = fakeArtifact();
        await withMocks({
            ...FIXTURE,
            onRun: () => {
                throw new Error("curl: (22) The requested URL returned error: 404");
            },
        });
        await assert.rejects(
            fetchPluginZip(stack(a), {}),
            /^Error: the connector zip could not be downloaded from https:\/\/example\.com\/x\.zip \(msk-s3-sink:pluginUrl\): .*Check the URL .*msk-s3-sink:pluginLocalPath/,
        );
    });

    it("fetches nothing for a local zip, which the stack settings checked already", async () => {
        const a = fakeArtifact();
        const local = path.join(a.dir, "local.zip");
        fs.writeFileSync(local, a.content);
        const harness = await withMocks({ ...FIXTURE, onRun: () => assert.fail("nothing may be downloaded") });
        assert.strictEqual(
            await fetchPluginZip(settingsFrom(devRaw({ ...a.overrides, "msk-s3-sink:pluginLocalPath": local })), {}),
            undefined,
        );
        assert.deepStrictEqual(harness.invoked("command:local:run"), []);
    });
});

describe("the download command", function () {
    this.timeout(20000);
    it("gives up on a server that accepts the connection and never answers, within its limits", async () => {
        const silent = net.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const port = (silent.address() as net.AddressInfo).port;
        const file = path.join(fakeArtifact().dir, "never", "x.zip");
        const env = downloadEnvironment(`https://127.0.0.1:${port}/x.zip`, file, { connectSeconds: 1, stallSeconds: 1, totalSeconds: 2 });
        try {
            const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
                const p = child_process.spawn("sh", ["-c", DOWNLOAD_SCRIPT], { env: { ...process.env, ...env } });
                let stderr = "";
                p.stderr.on("data", (d) => (stderr += String(d)));
                p.on("exit", (code) => resolve({ code, stderr }));
            });
            assert.notStrictEqual(r.code, 0);
            assert.match(r.stderr, /curl: \(28\)/, "curl's time-out");
            assert.strictEqual(fs.existsSync(file), false, "nothing left at the zip's path");
        } finally {
            silent.close();
        }
    });
});
