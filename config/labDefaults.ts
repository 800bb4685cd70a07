/**
 * The lab's names a stack inherits by leaving a setting out: the cluster, the connector, the topic, the worker
 * configuration, the role prefix, the log group and the buckets. Right for the lab (the dev stack); in any other
 * stack each is most likely an oversight, so the plan names every one it finds, one line each.
 */
import { PROJECT } from "./settings";
import type { StackSettings } from "./types";

export interface InheritedLabDefault {
    /** The setting left out, e.g. `msk-s3-sink:mskClusterName`. */
    readonly key: string;
    /** The lab's value the stack gets instead, as the program uses it. */
    readonly value: string;
}

/** Each lab-named setting the stack does not set but uses, with the value it inherits (none for the dev stack). */
export function inheritedLabDefaults(s: StackSettings, raw: Readonly<Record<string, string>>): InheritedLabDefault[] {
    if (s.stack === "dev") return [];
    // What every sink sets for itself is not inherited from the stack-level key.
    const inherited = (field: string, value: string | undefined) => (s.sinks.some((x) => !x.ownFields.includes(field)) ? value : undefined);
    const role = s.sinks.some((x) => !x.ownFields.some((f) => f.startsWith("executionRole")));
    const used: [name: string, value: string | undefined][] = [
        ["mskClusterName", s.mskClusterName],
        ["connectorName", inherited("connectorName", s.connectorName)],
        ["topics", inherited("topics", s.topics.join(", "))],
        ["workerConfigurationName", s.workerConfigurationName],
        ["executionRoleNamePrefix", role && "namePrefix" in s.executionRole ? s.executionRole.namePrefix : undefined],
        ["logGroupName", inherited("logGroupName", s.logGroup.name)],
        ["pluginsBucket", s.pluginsBucket.name],
        ["targetBucket", inherited("targetBucket", s.targetBucket.name)],
    ];
    const set = (name: string) => `${PROJECT}:${name}` in raw || name in raw;
    return used
        .filter((u): u is [string, string] => u[1] !== undefined && !set(u[0]))
        .map(([name, value]) => ({ key: `${PROJECT}:${name}`, value }));
}
