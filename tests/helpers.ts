/** Shared test helpers: the mock runtime, the dev stack's settings, and local S3 servers on loopback. */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, RawConfig, readStackFile, StackSettings } from "../config";
import { MockFixtures, MockHarness, settle, valueOf } from "../offline";
import { buildProgram, ProgramOptions, StackOutputs } from "../program";
import { tempDir } from "./setup";

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
    const dir = tempDir("artifact");
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
    harness.install("msk-s3-sink", "dev", preview);
    return harness;
}

/** Render the whole program for settings; resolves every output. */
export async function renderProgram(
    settings: StackSettings,
    fixtures: Partial<MockFixtures> = {},
    preview = false,
    options: ProgramOptions = {},
): Promise<{ harness: MockHarness; outputs: Record<string, unknown> }> {
    // The program gives every AWS resource and lookup its explicit provider: default AWS providers are refused, as the dev stack's pulumi:disable-default-providers makes the engine refuse them.
    const harness = await withMocks(
        { region: settings.region, accountId: settings.accountId, disabledDefaultProviders: ["aws"], ...fixtures },
        preview,
    );
    const program: StackOutputs = await buildProgram(settings, options);
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

export { LocalS3, startMoto, startS3rver } from "../offline";

/** A transformation that records every resource's options, by "<type> <name>". */
export function optionsRecorder(): { seen: Map<string, pulumi.ResourceOptions>; transformation: pulumi.ResourceTransformation } {
    const seen = new Map<string, pulumi.ResourceOptions>();
    return {
        seen,
        transformation: (a) => {
            seen.set(`${a.type} ${a.name}`, a.opts);
            return undefined;
        },
    };
}
