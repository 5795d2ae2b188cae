// What one operation may ask for, from maintained libraries, the same over HTTP and the socket:
// graphql-armor for depth, aliases and directives (validation rules), graphql-query-complexity
// for a cost that reads variables (`first: $n`), and graphql-js's parser for tokens. Over a limit
// is a validation error naming the limit (GRAPHQL_VALIDATION_FAILED or GRAPHQL_PARSE_FAILED, 400).
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { type DocumentNode, GraphQLError, type GraphQLField, type GraphQLSchema, type ValidationRule } from "graphql";
import { type ComplexityEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { maxPageSize } from "./input.js";

/** The bounds of one operation. */
export const graphqlLimits = {
  /** Nesting of fields (introspection is not counted). */
  maxDepth: 12,
  /** Aliases in one operation. */
  maxAliases: 15,
  /** Directives in one operation. */
  maxDirectives: 10,
  /** Lexical tokens of a document (graphql-js's parser stops past them). */
  maxTokens: 2000,
  /** Cost: every field 1, a list field its size times the cost of one item. */
  maxComplexity: 5000,
} as const;

/** The parser's options: documents past maxTokens are refused while they are read. */
export const parseOptions = { maxTokens: graphqlLimits.maxTokens };

/** graphql-armor's rules and plugins; with introspection off, errors also stop suggesting field names. */
export function armor(introspection: boolean) {
  return new ApolloArmor({
    maxDepth: { n: graphqlLimits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: graphqlLimits.maxAliases },
    maxDirectives: { n: graphqlLimits.maxDirectives },
    blockFieldSuggestion: { enabled: !introspection },
    // Its token limit answers a syntax error with a 500; the parser's own limit (parseOptions) answers 400.
    maxTokens: { enabled: false },
    // Its cost limit ignores variables; graphql-query-complexity below reads them.
    costLimit: { enabled: false },
  }).protect();
}

/** The validation rules every transport applies (graphql-ws does not read Apollo's). */
export function limitRules(introspection: boolean): ValidationRule[] {
  return armor(introspection).validationRules;
}

// How many items a list field answers: its first/last/limit argument, the resolver's default
// when absent, or the number of ids asked for.
function listSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  for (const name of ["first", "last", "limit"]) {
    if (typeof args[name] === "number") return args[name];
  }
  if (Array.isArray(args.ids)) return args.ids.length;
  const names = field.args.map((arg) => arg.name);
  if (names.includes("limit")) return maxPageSize;
  if (names.includes("first") || names.includes("last")) return 20;
  return undefined;
}

const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const size = listSize(field, args);
  return size === undefined ? undefined : 1 + size * childComplexity;
};

/** The cost of the operation `operationName` of `document` with `variables`. */
export function complexityOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown>,
  operationName?: string,
) {
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

// Costs already computed, per parsed document (both transports keep parsed documents, so a repeated
// operation is the same object) and per operation name and variables: a cost walks the whole document.
const knownCosts = new WeakMap<DocumentNode, Map<string, number>>();
const maxCostsPerDocument = 100;

function costOf(...[schema, document, variables, operationName]: Parameters<typeof complexityOf>): number {
  let costs = knownCosts.get(document);
  if (!costs) {
    costs = new Map();
    knownCosts.set(document, costs);
  }
  const key = `${operationName ?? ""}\n${JSON.stringify(variables ?? {})}`;
  let cost = costs.get(key);
  if (cost === undefined) {
    cost = complexityOf(schema, document, variables, operationName);
    if (costs.size >= maxCostsPerDocument) costs.clear();
    costs.set(key, cost);
  }
  return cost;
}

/** Throws a validation error when the operation costs more than maxComplexity. */
export function checkComplexity(...args: Parameters<typeof complexityOf>): void {
  const cost = costOf(...args);
  if (cost > graphqlLimits.maxComplexity) {
    throw new GraphQLError(
      `The operation costs ${cost}, more than the ${graphqlLimits.maxComplexity} allowed: ask for smaller pages (first, limit) or fewer nested lists.`,
      {
        extensions: { code: "GRAPHQL_VALIDATION_FAILED", cost, maximumCost: graphqlLimits.maxComplexity, http: { status: 400 } },
      },
    );
  }
}
