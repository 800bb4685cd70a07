/**
 * Room `sql/`: the subset of S3 Select SQL that this project can evaluate itself, as a parser and an
 * evaluator over JSON records. The verification's GetObject fallback runs it; the stack-config check parses
 * `verifyQuery` with it. Pure and self-contained: it imports nothing.
 */
export * from "./miniSql";
