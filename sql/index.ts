/**
 * Room `sql/`: the subset of S3 Select SQL that this project can evaluate itself, as a parser and an
 * evaluator over JSON records (three-valued logic, exact big integers, bounded tallies). The verification's
 * GetObject fallback runs it; the stack-config check parses `verifyQuery` with the same `parseQuery`, so
 * what passes at plan time is what the fallback can answer. Pure and self-contained: it imports nothing.
 */
export * from "./evaluate";
export * from "./json";
export * from "./parse";
