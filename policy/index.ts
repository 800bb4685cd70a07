/**
 * Room `policy/`: the security invariants as plain rules over a stack's resources (`rules.ts`), run by
 * `npm run plan` and the tests, and as this CrossGuard policy pack. With the Pulumi CLI, from the project directory:
 *   pulumi preview --policy-pack policy
 * (run `npm ci` in the project first: the pack uses the project's node_modules).
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./pack";

new PolicyPack("msk-s3-sink-security", { enforcementLevel: "mandatory", policies: POLICIES });
