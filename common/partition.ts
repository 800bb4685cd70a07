/** The AWS partition of a region (for ARNs), by the region name's prefix. */
const PARTITIONS: readonly [prefix: string, partition: string][] = [
    ["cn-", "aws-cn"],
    ["us-gov-", "aws-us-gov"],
    ["us-isob-", "aws-iso-b"],
    ["us-isof-", "aws-iso-f"],
    ["us-iso-", "aws-iso"],
    ["eu-isoe-", "aws-iso-e"],
    ["eusc-", "aws-eusc"],
];

export function partitionOf(region: string): string {
    return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}
