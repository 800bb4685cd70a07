/** Section "capacity": autoscaling or provisioned workers, within MSK Connect's limits. */
import { nearest } from "../../common";
import type { Reader } from "../reader";
import { DEFAULTS, MCU_COUNTS } from "../settings";
import type { CapacitySettings } from "../types";

const DEFAULT: CapacitySettings = DEFAULTS.capacity;

export function readCapacity(r: Reader): CapacitySettings {
    const value = r.json("capacity");
    if (value === undefined) return DEFAULT;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem("capacity", value, 'expected an object such as {"mode": "autoscaling", "mcuCount": 1, "minWorkerCount": 1, "maxWorkerCount": 2} or {"mode": "provisioned", "mcuCount": 1, "workerCount": 1}.');
        return DEFAULT;
    }
    const obj = value as Record<string, unknown>;
    const mode = obj.mode ?? "autoscaling";
    const allowedFields: Record<string, string[]> = {
        autoscaling: ["mode", "mcuCount", "minWorkerCount", "maxWorkerCount", "scaleInCpuPercent", "scaleOutCpuPercent"],
        provisioned: ["mode", "mcuCount", "workerCount"],
    };
    if (mode !== "autoscaling" && mode !== "provisioned") {
        r.problem("capacity.mode", mode, 'expected "autoscaling" or "provisioned".');
        return DEFAULT;
    }
    for (const field of Object.keys(obj)) {
        if (!allowedFields[mode].includes(field)) {
            const close = nearest(field, allowedFields[mode]);
            r.problem(`capacity.${field}`, obj[field], `is not a ${mode} capacity field; allowed: ${allowedFields[mode].join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
        }
    }
    const d = DEFAULT as Extract<CapacitySettings, { mode: "autoscaling" }>;
    const int = (field: string, def: number, check: (n: number) => boolean, allowed: string): number => {
        const v = obj[field];
        if (v === undefined) return def;
        if (typeof v !== "number" || !Number.isInteger(v) || !check(v)) {
            r.problem(`capacity.${field}`, v, `expected ${allowed}.`);
            return def;
        }
        return v;
    };
    const mcuCount = int("mcuCount", 1, (n) => MCU_COUNTS.includes(n), "1, 2, 4 or 8 (MCUs per worker; 1 MCU = 1 vCPU + 4 GiB)");
    if (mode === "provisioned") {
        return { mode, mcuCount, workerCount: int("workerCount", 1, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10") };
    }
    const minWorkerCount = int("minWorkerCount", d.minWorkerCount, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10");
    const maxWorkerCount = int("maxWorkerCount", d.maxWorkerCount, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10");
    const scaleInCpuPercent = int("scaleInCpuPercent", d.scaleInCpuPercent, (n) => n >= 1 && n <= 100, "a CPU percentage from 1 to 100");
    const scaleOutCpuPercent = int("scaleOutCpuPercent", d.scaleOutCpuPercent, (n) => n >= 1 && n <= 100, "a CPU percentage from 1 to 100");
    if (minWorkerCount > maxWorkerCount) {
        r.problem("capacity.minWorkerCount", minWorkerCount, `must not exceed capacity.maxWorkerCount (${maxWorkerCount}).`);
    }
    if (scaleInCpuPercent >= scaleOutCpuPercent) {
        r.problem("capacity.scaleInCpuPercent", scaleInCpuPercent, `must be below capacity.scaleOutCpuPercent (${scaleOutCpuPercent}), or the workers scale in and out in a loop.`);
    }
    return { mode, mcuCount, minWorkerCount, maxWorkerCount, scaleInCpuPercent, scaleOutCpuPercent };
}
