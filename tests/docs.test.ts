import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { declarationsByKey } from "../config";
import { WARNING_RULES } from "../doctor";
import { RULES } from "../policy/rules";
import { ROOT } from "./helpers";

/** Rows of a README's configuration table: key (first-column code span) to the other columns. */
function configurationRows(file: string): Map<string, string[]> {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const rows = new Map<string, string[]>();
    for (const line of text.split("\n")) {
        const key = /^\| `((?:aws|msk-s3-sink):[A-Za-z0-9]+)` \|/.exec(line)?.[1];
        if (key === undefined) continue;
        // Split on cell borders, not on escaped pipes inside a cell.
        const cells = line
            .split(/(?<!\\)\|/)
            .slice(2, -1)
            .map((c) => c.trim());
        rows.set(key, cells);
    }
    return rows;
}

function documentedKeys(file: string): string[] {
    return [...configurationRows(file).keys()].sort();
}

describe("documentation", () => {
    const declared = declarationsByKey();

    it("README.md's configuration table is the settings' declarations, row for row (key, type, default, meaning)", () => {
        const rows = configurationRows("README.md");
        assert.deepStrictEqual(
            [...rows.keys()].sort(),
            Object.keys(declared).sort(),
            "the table and config/settings.ts list different keys",
        );
        for (const [key, d] of Object.entries(declared)) {
            assert.deepStrictEqual(
                rows.get(key),
                [d.type, d.defaultText, d.doc],
                `README.md row for ${key} differs from its declaration in config/settings.ts`,
            );
        }
    });
    it("README.ko.md's configuration table matches README.md key for key", () => {
        assert.deepStrictEqual(documentedKeys("README.ko.md"), documentedKeys("README.md"));
    });
    it("both READMEs start with the same two commands, and .ci/run runs the test command", () => {
        const commands = (file: string) =>
            /```sh\n([\s\S]*?)```/
                .exec(fs.readFileSync(path.join(ROOT, file), "utf8"))![1]
                .split("\n")
                .map((l) => l.split("#")[0].trim())
                .filter(Boolean);
        assert.deepStrictEqual(commands("README.md"), ["npm ci && npm run plan", "npm test"]);
        assert.deepStrictEqual(commands("README.ko.md"), commands("README.md"));
        assert.match(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"), /^npm ci\b/m);
        assert.match(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"), /^npm test$/m);
    });
    it("README.md lists every policy rule and every doctor warning rule", () => {
        const text = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const r of RULES) assert.ok(text.includes(`\`${r.name}\``), `README.md does not mention policy rule ${r.name}`);
        for (const r of WARNING_RULES) assert.ok(text.includes(`\`${r}\``), `README.md does not mention doctor rule ${r}`);
    });
});
