/** Section "capacity": autoscaling or provisioned workers, within MSK Connect's limits. */
import { nearest } from "../../common";
import type { Reader } from "../reader";
import { DEFAULTS, MCU_COUNTS } from "../settings";
import type { CapacitySettings } from "../types";

type Autoscaling = Extract<CapacitySettings, { mode: "autoscaling" }>;
type Mode = CapacitySettings["mode"];

const DEFAULT: CapacitySettings = DEFAULTS.capacity;
const FIELDS: Record<Mode, string[]> = {
    autoscaling: ["mode", "mcuCount", "minWorkerCount", "maxWorkerCount", "scaleInCpuPercent", "scaleOutCpuPercent"],
    provisioned: ["mode", "mcuCount", "workerCount"],
};
const WORKERS = "a whole number of workers from 1 to 10";
const CPU = "a CPU percentage from 1 to 100";

export function readCapacity(r: Reader): CapacitySettings {
    const value = r.json("capacity");
    if (value === undefined) return DEFAULT;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem(
            "capacity",
            value,
            'expected an object such as {"mode": "autoscaling", "mcuCount": 1, "minWorkerCount": 1, "maxWorkerCount": 2} or {"mode": "provisioned", "mcuCount": 1, "workerCount": 1}.',
        );
        return DEFAULT;
    }
    const obj = value as Record<string, unknown>;
    const mode = obj.mode ?? "autoscaling";
    if (mode !== "autoscaling" && mode !== "provisioned") {
        r.problem("capacity.mode", mode, 'expected "autoscaling" or "provisioned".');
        return DEFAULT;
    }
    for (const field of Object.keys(obj).filter((f) => !FIELDS[mode].includes(f))) {
        const close = nearest(field, FIELDS[mode]);
        r.problem(
            `capacity.${field}`,
            obj[field],
            `is not a ${mode} capacity field; allowed: ${FIELDS[mode].join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`,
        );
    }
    const int = wholeNumbers(r, obj);
    const mcuCount = int("mcuCount", 1, (n) => MCU_COUNTS.includes(n), "1, 2, 4 or 8 (MCUs per worker; 1 MCU = 1 vCPU + 4 GiB)");
    if (mode === "provisioned") {
        return { mode, mcuCount, workerCount: int("workerCount", 1, (n) => n >= 1 && n <= 10, WORKERS) };
    }
    return readAutoscaling(r, int, mcuCount);
}

type IntReader = (field: string, def: number, check: (n: number) => boolean, allowed: string) => number;

/** A reader for the object's whole-number fields that records a problem and falls back to the default. */
function wholeNumbers(r: Reader, obj: Record<string, unknown>): IntReader {
    return (field, def, check, allowed) => {
        const v = obj[field];
        if (v === undefined) return def;
        if (typeof v !== "number" || !Number.isInteger(v) || !check(v)) {
            r.problem(`capacity.${field}`, v, `expected ${allowed}.`);
            return def;
        }
        return v;
    };
}

function readAutoscaling(r: Reader, int: IntReader, mcuCount: number): Autoscaling {
    const d = DEFAULT as Autoscaling;
    const minWorkerCount = int("minWorkerCount", d.minWorkerCount, (n) => n >= 1 && n <= 10, WORKERS);
    const maxWorkerCount = int("maxWorkerCount", d.maxWorkerCount, (n) => n >= 1 && n <= 10, WORKERS);
    const scaleInCpuPercent = int("scaleInCpuPercent", d.scaleInCpuPercent, (n) => n >= 1 && n <= 100, CPU);
    const scaleOutCpuPercent = int("scaleOutCpuPercent", d.scaleOutCpuPercent, (n) => n >= 1 && n <= 100, CPU);
    // Compared only when both were read as given: a stand-in default would make a second, misleading problem.
    const given = (...fields: string[]) => fields.every((f) => !r.hasProblem(`capacity.${f}`));
    if (minWorkerCount > maxWorkerCount && given("minWorkerCount", "maxWorkerCount")) {
        r.problem("capacity.minWorkerCount", minWorkerCount, `must not exceed capacity.maxWorkerCount (${maxWorkerCount}).`);
    }
    if (scaleInCpuPercent >= scaleOutCpuPercent && given("scaleInCpuPercent", "scaleOutCpuPercent")) {
        r.problem(
            "capacity.scaleInCpuPercent",
            scaleInCpuPercent,
            `must be below capacity.scaleOutCpuPercent (${scaleOutCpuPercent}), or the workers scale in and out in a loop.`,
        );
    }
    return { mode: "autoscaling", mcuCount, minWorkerCount, maxWorkerCount, scaleInCpuPercent, scaleOutCpuPercent };
}
