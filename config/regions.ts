/**
 * The regions the stack may deploy to: exactly the AWS provider's own list (`aws.Region` in `@pulumi/aws`,
 * China, GovCloud and the isolated partitions included), not a pattern that lets `us-est-2` through.
 */
import { Region } from "@pulumi/aws/types/enums";

export const AWS_REGIONS: readonly string[] = Object.values(Region);
