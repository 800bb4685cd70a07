/**
 * Root hooks for every suite (loaded by .mocharc): what the program logs through Pulumi is captured, not
 * printed, so a test run stays quiet and a test that expects a warning reads it from `logged`; temporary
 * folders made with `tempDir` are removed when the run ends.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** Messages logged through `pulumi.log` since the current test began, by severity. */
export const logged: { warn: string[]; info: string[] } = { warn: [], info: [] };

let root: string | undefined;

/** A new temporary folder, removed with the others when the test run ends. */
export function tempDir(prefix: string): string {
    root ??= fs.mkdtempSync(path.join(os.tmpdir(), "msk-s3-sink-tests-"));
    return fs.mkdtempSync(path.join(root, `${prefix}-`));
}

const original = { warn: pulumi.log.warn, info: pulumi.log.info, consoleWarn: console.warn };

/** What the AWS SDK warned on the console during the current test (it warns there, once a process, of two credential sources). */
const sdkWarnings: string[] = [];

export const mochaHooks = {
    beforeAll(): void {
        console.warn = (...args: unknown[]) => {
            const text = args.map(String).join(" ");
            if (text.includes("@aws-sdk/")) sdkWarnings.push(text);
            else original.consoleWarn(...args);
        };
        pulumi.log.warn = (message: string) => {
            logged.warn.push(message);
            return Promise.resolve();
        };
        pulumi.log.info = (message: string) => {
            logged.info.push(message);
            return Promise.resolve();
        };
    },
    beforeEach(): void {
        logged.warn.length = 0;
        logged.info.length = 0;
        sdkWarnings.length = 0;
    },
    afterEach(): void {
        // A test that sets a profile where the local keys are set too makes the SDK warn in the middle of npm test's output.
        const seen = sdkWarnings.splice(0);
        if (seen.length > 0) throw new Error(`the AWS SDK warned during this test (give it one credential source):\n${seen.join("\n")}`);
    },
    afterAll(): void {
        pulumi.log.warn = original.warn;
        pulumi.log.info = original.info;
        console.warn = original.consoleWarn;
        if (root) fs.rmSync(root, { recursive: true, force: true });
        root = undefined;
    },
};
