/**
 * Section "plugin": the connector zip's version, where it comes from, its pinned digest (any case, kept in
 * lower case) and its cache. A local zip is checked against the pin here, so a wrong file is a
 * configuration problem before anything runs, not an upload that fails later.
 */
import * as fs from "fs";
import { resolvePath, sha256OfFile } from "../files";
import { CUSTOM_PLUGIN_ARN, CUSTOM_PLUGIN_NAME, pluginNames, SHA256, VERSION } from "../patterns";
import type { Reader } from "../reader";
import { DEFAULTS, PLACEHOLDER_SHA256, PROJECT } from "../settings";
import { OPAQUE_SECRET } from "../stackFile";
import type { PluginSource, StackSettings } from "../types";

function readDigest(r: Reader): string {
    const text = r.string("pluginSha256", {
        required:
            "required: the SHA-256 the connector zip must have before it is uploaded (`sha256sum confluentinc-kafka-connect-s3-<version>.zip`).",
    });
    if (text === undefined) return PLACEHOLDER_SHA256;
    if (text === OPAQUE_SECRET) return text;
    const digest = text.trim().toLowerCase();
    if (!SHA256.test(digest)) {
        r.problem(
            "pluginSha256",
            text,
            "expected 64 hex digits: the SHA-256 of the zip you vetted (`sha256sum <zip>`, or `Get-FileHash <zip>`).",
        );
        return PLACEHOLDER_SHA256;
    }
    return digest;
}

export function readPlugin(r: Reader, baseDir: string): StackSettings["plugin"] {
    const version = r.string("pluginVersion", { pattern: VERSION, allowed: "a version such as 10.5.15" }) ?? DEFAULTS.pluginVersion;
    const sha256 = readDigest(r);
    const localPath = r.string("pluginLocalPath");
    const source = localPath !== undefined ? localSource(r, baseDir, localPath, sha256) : downloadSource(r, version, sha256);
    const names = pluginNames(version);
    const customPluginName =
        r.string("customPluginName", {
            pattern: CUSTOM_PLUGIN_NAME,
            allowed: "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit",
        }) ?? names.customPluginName;
    const existingArn = readPluginArn(r);
    const cacheDir = resolvePath(baseDir, r.string("pluginCacheDir") ?? ".artifacts");
    return { version, source, ...names, customPluginName, ...(existingArn ? { existingArn } : {}), cacheDir };
}

/** A custom plugin another stack manages: its ARN; the stack then creates no plugin of its own. */
function readPluginArn(r: Reader): string | undefined {
    const arn = r.string("pluginArn", {
        pattern: CUSTOM_PLUGIN_ARN,
        allowed:
            "a custom plugin ARN, arn:aws:kafkaconnect:<region>:<account>:custom-plugin/<name>/<id> (`aws kafkaconnect list-custom-plugins`)",
    });
    if (arn !== undefined && r.has("customPluginName")) {
        r.problem(
            "customPluginName",
            r.text("customPluginName"),
            `names a plugin for the stack to create, but ${PROJECT}:pluginArn uses another stack's. Fix: remove one of them.`,
        );
    }
    return arn === OPAQUE_SECRET ? undefined : arn;
}

function localSource(r: Reader, baseDir: string, localPath: string, sha256: string): PluginSource {
    if (r.has("pluginUrl")) {
        r.problem("pluginUrl", r.text("pluginUrl"), `set either ${PROJECT}:pluginUrl or ${PROJECT}:pluginLocalPath, not both.`);
    }
    if (localPath === OPAQUE_SECRET) return { kind: "local", path: localPath, sha256 };
    const resolved = resolvePath(baseDir, localPath);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
        r.problem("pluginLocalPath", localPath, `expected a path to the connector zip on this machine; ${resolved} is not a file.`);
    } else if (!/\.zip$/i.test(resolved)) {
        r.problem("pluginLocalPath", localPath, "expected a .zip file (MSK Connect custom plugins here are ZIP archives).");
    } else if (r.usable("pluginSha256")) {
        checkLocalDigest(r, localPath, resolved, sha256);
    }
    return { kind: "local", path: resolved, sha256 };
}

function checkLocalDigest(r: Reader, localPath: string, file: string, sha256: string): void {
    const actual = sha256OfFile(file);
    if (actual === sha256) return;
    const pin = sha256 === PLACEHOLDER_SHA256 ? "the example placeholder (all zeros)" : sha256;
    r.problem(
        "pluginLocalPath",
        localPath,
        `${file} has SHA-256 ${actual}, but ${PROJECT}:pluginSha256 is ${pin}, so \`pulumi up\` would refuse to upload it. If this is the zip you vetted, pin it: \`pulumi config set ${PROJECT}:pluginSha256 ${actual}\`; otherwise point pluginLocalPath at the right file.`,
    );
}

function downloadSource(r: Reader, version: string, sha256: string): PluginSource {
    const url = r.string("pluginUrl", { default: DEFAULTS.pluginUrlTemplate.replace(/\{version\}/g, version) }) ?? "";
    if (url === OPAQUE_SECRET || r.hasProblem("pluginUrl")) return { kind: "download", url, sha256 };
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
