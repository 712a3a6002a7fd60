import { allBinds, bindText, bindsOverlap, isWildcard, ownerText, ownerTitle, type OwnedBind } from "../../binds.js";
import type { SpecRule } from "../../rule.js";

/**
 * Two proxies listening on the same port of overlapping addresses. HAProxy sets SO_REUSEPORT on
 * its listeners, so Linux accepts both binds without a word: on the same address it spreads the
 * connections between the two proxies; a specific address beside a wildcard takes that address's
 * connections away from the wildcard. Either way a proxy receives traffic meant for the other.
 */
export const bindConflict: SpecRule = {
  meta: {
    id: "HAP033",
    name: "bind-conflict",
    category: "haproxy",
    severity: "error",
    summary: "Two proxies (frontend, listen, stats) bind the same port on overlapping addresses.",
  },
  scope: "spec",
  check({ spec, report }) {
    const binds = allBinds(spec);
    binds.forEach((bind, i) => {
      const earlier = binds.slice(0, i).find((other) => other.owner !== bind.owner && bindsOverlap(spec, other.bind, bind.bind));
      if (!earlier) return;
      report({
        span: bind.span,
        message: conflictMessage(bind, earlier),
        notes: [
          { message: `${ownerText(earlier.owner)} binds \`${bindText(earlier.bind)}\` here`, span: earlier.span },
          { message: "give each proxy its own port or address, or merge the two into one frontend with routes" },
        ],
      });
    });
  },
};

function conflictMessage(bind: OwnedBind, earlier: OwnedBind): string {
  const here = `\`${bindText(bind.bind)}\``;
  const there = `\`${bindText(earlier.bind)}\``;
  const who = ownerTitle(bind.owner);
  const other = ownerText(earlier.owner);
  if (isWildcard(bind.bind) !== isWildcard(earlier.bind)) {
    return `${who} binds ${here} and ${other} binds ${there} on the same port: the connections to the specific address go to one proxy and the rest to the other, whatever the spec's routes say.`;
  }
  if (familyOf(bind) !== familyOf(earlier)) {
    return `${who} binds ${here} and ${other} binds ${there}: a \`[::]\` bind also takes IPv4 connections, so which proxy answers an IPv4 client is up to the kernel, not the spec.`;
  }
  return `${who} binds ${here}, which ${other} binds already: Linux accepts both (HAProxy sets SO_REUSEPORT) and spreads the connections between the two proxies.`;
}

/** The family of a wildcard bind (`*` is IPv4). */
function familyOf(bind: OwnedBind): 4 | 6 {
  return bind.bind.kind === "any" || bind.bind.kind === "node" ? 4 : bind.bind.family;
}
