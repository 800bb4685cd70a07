/** Section "plugin": the connector zip's version, where it comes from, its pinned digest and its cache. */
import * as fs from "fs";
import * as path from "path";
import { pluginNames, SHA256, VERSION } from "../patterns";
import type { Reader } from "../reader";
import { DEFAULTS, PLACEHOLDER_SHA256, PROJECT } from "../settings";
import type { PluginSource, StackSettings } from "../types";

export function readPlugin(r: Reader, baseDir: string): StackSettings["plugin"] {
    const version = r.string("pluginVersion", { pattern: VERSION, allowed: "a version such as 10.5.15" }) ?? DEFAULTS.pluginVersion;
    const sha256 =
        r.string("pluginSha256", {
            pattern: SHA256,
            allowed: "64 lower-case hex digits: the SHA-256 of the zip you vetted (`sha256sum <zip>`)",
            required:
                "required: the SHA-256 the connector zip must have before it is uploaded (`sha256sum confluentinc-kafka-connect-s3-<version>.zip`).",
        }) ?? PLACEHOLDER_SHA256;
    const localPath = r.string("pluginLocalPath");
    const source = localPath !== undefined ? localSource(r, baseDir, localPath, sha256) : downloadSource(r, version, sha256);
    const names = pluginNames(version);
    const cacheDir = path.resolve(baseDir, r.string("pluginCacheDir") ?? ".artifacts");
    return { version, source, objectKey: names.objectKey, customPluginName: names.customPluginName, cacheDir };
}

function localSource(r: Reader, baseDir: string, localPath: string, sha256: string): PluginSource {
    if (r.has("pluginUrl")) {
        r.problem("pluginUrl", r.text("pluginUrl"), `set either ${PROJECT}:pluginUrl or ${PROJECT}:pluginLocalPath, not both.`);
    }
    const resolved = path.resolve(baseDir, localPath);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
        r.problem("pluginLocalPath", localPath, `expected a path to the connector zip on this machine; ${resolved} is not a file.`);
    } else if (!resolved.endsWith(".zip")) {
        r.problem("pluginLocalPath", localPath, "expected a .zip file (MSK Connect custom plugins here are ZIP archives).");
    }
    return { kind: "local", path: resolved, sha256 };
}

function downloadSource(r: Reader, version: string, sha256: string): PluginSource {
    const url = r.string("pluginUrl", { default: DEFAULTS.pluginUrlTemplate.replace(/\{version\}/g, version) }) ?? "";
    let ok = false;
    try {
        const parsed = new URL(url);
        ok = parsed.protocol === "https:" && parsed.username === "" && parsed.password === "";
    } catch {
        ok = false;
    }
    if (!ok) r.problem("pluginUrl", url, "expected an https:// URL with no user name or password in it (a mirror of the connector zip).");
    return { kind: "download", url, sha256 };
}
