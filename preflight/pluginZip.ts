/**
 * The connector zip, fetched and checked before anything is registered: a download from `pluginUrl` (in
 * `pulumi preview` as in `up`) into a cache keyed by the digest, checked against the pinned SHA-256. A zip
 * that does not match is deleted and refused with both digests and the fix, as one of the preflight's
 * failures. (A local zip is checked when the stack settings are read.)
 */
import * as fs from "fs";
import * as path from "path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { errorText } from "../common";
import { sha256OfFile, StackSettings } from "../config";

/** Where a download is cached: `<cacheDir>/<sha256>/<file name>`, so a different pin never reuses a file. */
export function cachedArtifactPath(cacheDir: string, sha256: string, fileName: string): string {
    return path.join(cacheDir, sha256, fileName);
}

/** A URL for messages: its query string and fragment left out, since a signed mirror URL carries its token there. */
export function withoutQuery(url: string): string {
    try {
        const u = new URL(url);
        return `${u.origin}${u.pathname}${u.search || u.hash ? " (query left out)" : ""}`;
    } catch {
        return "the configured URL";
    }
}

/** True when `file` exists and has the expected digest. */
export function isVerifiedFile(file: string, sha256: string): boolean {
    return fs.existsSync(file) && sha256OfFile(file) === sha256;
}

/**
 * Check `file` against the pinned digest. Throws a message that names the file, where it came from, both
 * digests and the fix; a downloaded file that does not match is deleted so it is never reused.
 */
export function assertDigest(file: string, expected: string, origin: string, deleteOnMismatch: boolean): void {
    if (!fs.existsSync(file)) {
        throw new Error(`the connector zip ${file} (from ${origin}) does not exist, so nothing was uploaded.`);
    }
    const actual = sha256OfFile(file);
    if (actual === expected) return;
    if (deleteOnMismatch) fs.rmSync(file, { force: true });
    throw new Error(
        `refusing to upload ${path.basename(file)}: its SHA-256 is ${actual} but msk-s3-sink:pluginSha256 pins ${expected} ` +
            `(file from ${origin}). If the file is the one you meant to deploy, vet it and pin its digest with ` +
            `\`pulumi config set msk-s3-sink:pluginSha256 ${actual}\`; otherwise fix msk-s3-sink:pluginUrl or pluginLocalPath.`,
    );
}

/** Limits on the download: seconds to connect (TLS included), seconds below 1 KiB/s before giving up, seconds in all. */
export interface DownloadLimits {
    readonly connectSeconds: number;
    readonly stallSeconds: number;
    readonly totalSeconds: number;
}
export const DOWNLOAD_LIMITS: DownloadLimits = { connectSeconds: 20, stallSeconds: 60, totalSeconds: 1800 };

/**
 * The shell command that downloads `url` to `file` (given to it through the environment, not the text), with
 * time limits that hold: a server that accepts the connection and never answers, or stalls mid-way, fails it.
 */
export const DOWNLOAD_SCRIPT =
    'mkdir -p "$(dirname "$ARTIFACT_FILE")" && ' +
    "curl --fail --location --silent --show-error --proto =https --tlsv1.2 " +
    '--connect-timeout "$ARTIFACT_CONNECT_SECONDS" --speed-limit 1024 --speed-time "$ARTIFACT_STALL_SECONDS" --max-time "$ARTIFACT_TOTAL_SECONDS" ' +
    '--retry 3 --retry-max-time "$ARTIFACT_TOTAL_SECONDS" --output "$ARTIFACT_FILE.part" "$ARTIFACT_URL" && ' +
    'mv "$ARTIFACT_FILE.part" "$ARTIFACT_FILE"';

/** The download command's environment: what to fetch, where to, and its limits. */
export function downloadEnvironment(url: string, file: string, limits: DownloadLimits = DOWNLOAD_LIMITS): Record<string, string> {
    return {
        ARTIFACT_URL: url,
        ARTIFACT_FILE: file,
        ARTIFACT_CONNECT_SECONDS: String(limits.connectSeconds),
        ARTIFACT_STALL_SECONDS: String(limits.stallSeconds),
        ARTIFACT_TOTAL_SECONDS: String(limits.totalSeconds),
    };
}

/**
 * The downloaded zip's path, checked against the pin: the cached copy when it matches, else a fresh download.
 * Undefined when nothing could be downloaded here (the offline plan answers the download without running it),
 * and for a local zip, which needs no download.
 */
export async function fetchPluginZip(s: StackSettings, opts: pulumi.InvokeOptions): Promise<string | undefined> {
    const src = s.plugin.source;
    if (src.kind !== "download") return undefined;
    const file = cachedArtifactPath(s.plugin.cacheDir, src.sha256, s.plugin.fileName);
    if (isVerifiedFile(file, src.sha256)) return file;
    const origin = withoutQuery(src.url);
    try {
        await command.local.run({ command: DOWNLOAD_SCRIPT, environment: downloadEnvironment(src.url, file), logging: "stderr" }, opts);
    } catch (e) {
        throw new Error(
            `the connector zip could not be downloaded from ${origin} (msk-s3-sink:pluginUrl): ${errorText(e)}. The download gives up after ${DOWNLOAD_LIMITS.connectSeconds} s without a connection, ${DOWNLOAD_LIMITS.stallSeconds} s below 1 KiB/s or ${DOWNLOAD_LIMITS.totalSeconds} s in all. Check the URL and this machine's network and proxy, or download the zip yourself, vet it and set msk-s3-sink:pluginLocalPath.`,
        );
    }
    // A download that ran and left no file is one the offline plan answered without running it.
    if (!fs.existsSync(file)) return undefined;
    assertDigest(file, src.sha256, origin, true);
    return file;
}
