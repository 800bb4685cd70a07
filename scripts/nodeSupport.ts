/**
 * The Node.js versions this project supports, said once instead of the AWS SDK's eight-line
 * NodeVersionSupportWarning on every run. The SDK emits that warning (process.emitWarning) when its first client
 * is built on Node.js below 22, unless AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is "true"; a CLI calls
 * `sayNodeSupportOnce` before building one, which turns the SDK's warning off and, on a Node.js outside
 * package.json's engines, says once per Node.js version on this machine (on a terminal) what is supported.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** package.json's engines.node, in words. */
export const SUPPORTED_NODE = "Node.js 22.13 or later on the 22 line, or 24 or later";

/** Whether `version` (`v20.20.2`) is one package.json's engines (`^22.13.0 || >=24`) allows. */
export function isSupportedNode(version: string): boolean {
    const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
    return (major === 22 && minor >= 13) || major >= 24;
}

/** The note, for a Node.js outside the supported versions. */
export function nodeSupportNote(version: string): string {
    return (
        `note: Node.js ${version} is not one this project supports (${SUPPORTED_NODE}: @pulumi/pulumi requires 22, and AWS SDK ` +
        "releases after the first week of January 2027 will too). This command and the tests run on it; deploy with a supported version. " +
        "(Said once for this Node.js version.)"
    );
}

/** Where the note's "said once" is remembered: the user's cache folder. */
function markerFile(env: NodeJS.ProcessEnv, version: string): string {
    const cache = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
    return path.join(cache, "msk-s3-sink", `node-support-noted-${version}`);
}

/**
 * Turn the SDK's per-run warning off, and on an unsupported Node.js say once (on a terminal, where a person reads
 * it; a pipe or a file gets nothing) what is supported. Call before the first AWS SDK client is built.
 */
export function sayNodeSupportOnce(
    stream: { isTTY?: boolean; write(text: string): unknown },
    env: NodeJS.ProcessEnv = process.env,
    version: string = process.version,
): void {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    if (isSupportedNode(version) || !stream.isTTY) return;
    const marker = markerFile(env, version);
    if (fs.existsSync(marker)) return;
    stream.write(`${nodeSupportNote(version)}\n`);
    try {
        fs.mkdirSync(path.dirname(marker), { recursive: true });
        fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    } catch {
        // A cache folder that cannot be written: the note comes again next run, still one line.
    }
}
