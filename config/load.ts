/** Reading the running stack's config inside `pulumi up` / `pulumi preview`. */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse";
import type { StackSettings } from "./types";

/** Which of `keys` hold Pulumi secrets in the running program's config. */
function runtimeSecretKeys(keys: readonly string[]): string[] {
    // The SDK keeps this check internal; it reads the secret-key list Pulumi hands every program.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };
    return keys.filter((k) => runtimeConfig.isConfigSecret?.(k) === true);
}

/** Read and validate the running stack's config. Throws `StackConfigError` before any resource exists. */
export function loadStackSettings(): StackSettings {
    const raw = pulumi.runtime.allConfig();
    return parseStackConfig(raw, {
        stack: pulumi.getStack(),
        secretKeys: runtimeSecretKeys(Object.keys(raw)),
        baseDir: process.cwd(),
    });
}
