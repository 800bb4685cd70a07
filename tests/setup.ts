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

const original = { warn: pulumi.log.warn, info: pulumi.log.info };

export const mochaHooks = {
    beforeAll(): void {
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
    },
    afterAll(): void {
        pulumi.log.warn = original.warn;
        pulumi.log.info = original.info;
        if (root) fs.rmSync(root, { recursive: true, force: true });
        root = undefined;
    },
};
