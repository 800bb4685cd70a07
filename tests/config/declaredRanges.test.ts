import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SETTINGS } from "../../config";
import { ROOT } from "../helpers";

/** A bound written in the source (`1000`, `2 ** 31 - 1`, `6 * 3600`, `1_000_000`), as a number. */
function bound(text: string): number {
    const clean = text.replace(/_/g, "").trim();
    assert.match(clean, /^[\d\s*+\-.()]+$/, `a bound that is not arithmetic on literals: ${text}`);
    return Function(`"use strict"; return (${clean});`)() as number;
}

/** Every `r.integer(name, min, max, …)` and `r.number(name, min, …)` a config section reads with, and its bounds. */
function readBounds(): { name: string; min: number; max?: number }[] {
    const dir = path.join(ROOT, "config", "sections");
    return fs.readdirSync(dir).flatMap((f) => {
        const text = fs.readFileSync(path.join(dir, f), "utf8");
        const integers = [...text.matchAll(/r\.integer\(\s*"(\w+)",\s*([^,]+),\s*([^,]+),/g)].map((m) => ({
            name: m[1],
            min: bound(m[2]),
            max: bound(m[3]),
        }));
        const numbers = [...text.matchAll(/r\.number\(\s*"(\w+)",\s*([^,]+),/g)].map((m) => ({ name: m[1], min: bound(m[2]) }));
        return [...integers, ...numbers];
    });
}

describe("declared ranges", () => {
    it("states in each numeric setting's documented type the range the reader enforces (tasksMax: 1-1000, not just ≥ 1)", () => {
        const found = readBounds();
        assert.ok(found.length >= 6, `expected the numeric settings to be found, found ${found.map((f) => f.name).join(", ")}`);
        for (const { name, min, max } of found) {
            const type = (SETTINGS as Record<string, { type: string }>)[name].type;
            const expected = max === undefined ? `≥ ${min}` : `${min}-${max}`;
            assert.ok(type.includes(expected), `${name}: the reader takes ${expected}, the settings table says "${type}"`);
        }
    });
});
