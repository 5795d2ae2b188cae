// What an operation asks for below the field being resolved, so a resolver can read it in the same
// statement instead of leaving it to a loader (a join the core offers anyway).
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

// The fields named `name` directly in `sets`, through inline fragments and fragment spreads.
function fieldsNamed(info: GraphQLResolveInfo, sets: readonly SelectionSetNode[], name?: string): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (name === undefined || selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return found;
}

/**
 * The names of the fields selected at `path` below the field being resolved (aliases and fragments
 * merged), or undefined when nothing selects that path.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[]): Set<string> | undefined {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const step of path) {
    nodes = fieldsNamed(
      info,
      nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
      step,
    );
    if (nodes.length === 0) return undefined;
  }
  const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return new Set(fieldsNamed(info, sets).map((field) => field.name.value));
}
