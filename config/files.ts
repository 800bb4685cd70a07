/** Files the settings name: `~` expanded, paths resolved, and the SHA-256 of a zip (streamed). */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** `~` and `~/…` expanded to the home directory (as a shell would), then resolved against `baseDir`. */
export function resolvePath(baseDir: string, value: string): string {
    const expanded = value === "~" ? os.homedir() : value.startsWith("~/") ? path.join(os.homedir(), value.slice(2)) : value;
    return path.resolve(baseDir, expanded);
}

/** The digest of a file, streamed so a large zip is not held in memory. */
export function sha256OfFile(file: string): string {
    const hash = crypto.createHash("sha256");
    const fd = fs.openSync(file, "r");
    try {
        const buf = Buffer.alloc(1024 * 1024);
        let n: number;
        while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
    } finally {
        fs.closeSync(fd);
    }
    return hash.digest("hex");
}
