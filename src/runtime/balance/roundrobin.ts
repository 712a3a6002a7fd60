/**
 * `balance roundrobin`: HAProxy's Fast Weighted Round Robin (src/lb_fwrr.c), ported step by step
 * because its pick order is an emergent property of the trees (weights 6,3,1 give
 * A A B A C A B A A B, not the static map's A A B A A B A B A C).
 *
 * Each group (actives, backups) holds three trees:
 * - `init`: servers not yet placed in this window, heaviest first;
 * - `curr`: servers placed at their next position `npos` in the current window;
 * - `next`: servers whose next position falls beyond this window.
 * A window is `Σ eweight` picks long. A pick takes the head of `curr` if its turn has come, else
 * the heaviest server still in `init`; the chosen server then moves `Σ eweight / eweight` positions
 * on (remainders accumulate in `rweight`). When `curr` and `init` run dry, `next` becomes `init`.
 *
 * Positions are C `unsigned int`s, so arithmetic on them wraps at 2^32 (`>>> 0`) as in HAProxy.
 */
import { commit, type LbAlgorithm, type Selection } from "./algorithm.js";
import {
  chooseGroup,
  MAX_EFFECTIVE_WEIGHT,
  recountWeights,
  scaledWeight,
  WEIGHT_SCALE,
  type BackendWeights,
  type LbServer,
  type NextLbState,
} from "./lb-server.js";
import { OrderedTree } from "./ordered-tree.js";
import { isSaturated, type ServerView } from "./server-view.js";

/** HAProxy's `SRV_UWGHT_RANGE`: positions are spaced this far apart in the `curr` key. */
const POSITION_KEY_STEP = 256;

interface FwrrNode<S extends ServerView> {
  readonly server: LbServer<S>;
  /** Next position (`npos`), last position (`lpos`) and weight remainder (`rweight`). */
  npos: number;
  lpos: number;
  rweight: number;
  /** The tree the server belongs to (`lb_tree`); null while it takes no traffic. */
  tree: OrderedTree<FwrrNode<S>> | null;
}

interface FwrrGroup<S extends ServerView> {
  readonly curr: OrderedTree<FwrrNode<S>>;
  /** `init` and `next` swap roles at each new window (HAProxy's t0/t1). */
  init: OrderedTree<FwrrNode<S>>;
  next: OrderedTree<FwrrNode<S>>;
  currPos: number;
  /** Total weight of the current window, and of the next one (changes as servers come and go). */
  currWeight: number;
  nextWeight: number;
}

const u32 = (value: number): number => value >>> 0;

function newGroup<S extends ServerView>(totalWeight: number): FwrrGroup<S> {
  return { curr: new OrderedTree(), init: new OrderedTree(), next: new OrderedTree(), currPos: totalWeight, currWeight: totalWeight, nextWeight: totalWeight };
}

export class RoundRobin<S extends ServerView> implements LbAlgorithm<S> {
  private readonly nodes: FwrrNode<S>[];
  private readonly active: FwrrGroup<S>;
  private readonly backup: FwrrGroup<S>;
  private totals: BackendWeights<S>;

  constructor(
    private readonly servers: readonly LbServer<S>[],
    private readonly allBackups: boolean,
  ) {
    this.totals = recountWeights(servers, allBackups);
    this.active = newGroup(this.totals.activeWeight);
    this.backup = newGroup(this.totals.backupWeight);
    this.nodes = servers.map((server) => ({ server, npos: 0, lpos: 0, rweight: 0, tree: null }));
    for (const node of this.nodes) {
      if (node.server.usable) this.queueByWeight(this.groupOf(node).init, node, node.server.eweight);
    }
  }

  effectiveWeight(userWeight: number): number {
    return scaledWeight(userWeight);
  }

  weights(): BackendWeights<S> {
    return this.totals;
  }

  select(_request: unknown, avoid: LbServer<S> | undefined): Selection<S> {
    const choice = chooseGroup(this.totals);
    if (choice.kind === "none") return "full";
    // The lone first backup is returned as is, saturated or not (fwrr_get_next_server).
    if (choice.kind === "first-backup") return choice.server;
    const group = choice.backup ? this.backup : this.active;
    const avoidNode = avoid ? this.nodeOf(avoid) : undefined;

    let switched = false;
    let avoided: FwrrNode<S> | undefined;
    let chosen: FwrrNode<S> | undefined;
    // Saturated (or avoided) servers taken out on the way, most recent first like HAProxy's list.
    const setAside: FwrrNode<S>[] = [];
    search: for (;;) {
      if (group.currWeight === 0) group.currPos = group.currWeight = group.nextWeight;
      let candidate: FwrrNode<S> | undefined;
      for (;;) {
        candidate = this.serverFromGroup(group);
        if (candidate) break;
        if (switched) {
          chosen = avoided;
          break search;
        }
        switched = true;
        this.switchTrees(group);
      }
      this.updatePosition(group, candidate);
      candidate.tree?.remove(candidate);
      group.currPos += 1;
      if (!isSaturated(candidate.server.view)) {
        if (candidate !== avoidNode || avoided) {
          chosen = candidate;
          break;
        }
        avoided = candidate;
      }
      setAside.unshift(candidate);
    }

    if (chosen) this.queue(chosen, chosen.server);
    for (const node of setAside) {
      if (node === chosen) continue;
      // After a window switch their places are lost: only their weight matters again.
      if (switched) this.queueByWeight(group.init, node, node.server.eweight);
      else this.queue(node, node.server);
    }
    return chosen ? chosen.server : "full";
  }

  applyChange(server: LbServer<S>, next: NextLbState): void {
    const node = this.nodeAt(server);
    if (!server.usable && next.usable) this.setUp(node, next);
    else if (server.usable && !next.usable) this.setDown(node, next);
    else if (server.usable && next.usable) this.changeWeight(node, next);
    else commit(server, next);
    this.totals = recountWeights(this.servers, this.allBackups);
  }

  loadChanged(): void {
    // FWRR does not look at connection counts except to skip saturated servers at pick time.
  }

  /** fwrr_set_server_status_up: the server joins its group at a position spread from now on. */
  private setUp(node: FwrrNode<S>, next: NextLbState): void {
    const group = this.groupOf(node);
    group.nextWeight += next.eweight;
    this.prepareForExtraction(node);
    node.npos = u32(group.currPos + Math.floor(u32(group.nextWeight + group.currWeight - group.currPos) / next.eweight));
    this.queue(node, next);
    commit(node.server, next);
  }

  /** fwrr_set_server_status_down. */
  private setDown(node: FwrrNode<S>, next: NextLbState): void {
    const group = this.groupOf(node);
    group.nextWeight -= node.server.eweight;
    node.tree?.remove(node);
    node.tree = null;
    commit(node.server, next);
  }

  /** fwrr_update_server_weight for a server that stays usable with another weight. */
  private changeWeight(node: FwrrNode<S>, next: NextLbState): void {
    const group = this.groupOf(node);
    group.nextWeight = group.nextWeight - node.server.eweight + next.eweight;
    if (node.tree === group.init) {
      node.tree.remove(node);
      this.queueByWeight(group.init, node, next.eweight);
    } else if (node.tree === null) {
      this.prepareForExtraction(node);
      node.npos = u32(group.currPos + Math.floor(u32(group.nextWeight + group.currWeight - group.currPos) / next.eweight));
      this.queue(node, next);
    } else {
      // Still in `curr` or `next`: keep the turns it has not used up, at the new pace.
      this.prepareForExtraction(node);
      const previousNext = node.npos;
      const step = Math.floor(group.nextWeight / next.eweight);
      node.npos = u32(node.lpos + step);
      node.rweight = 0;
      if (node.npos > previousNext) node.npos = previousNext;
      if (node.npos < group.currPos + 2) node.npos = u32(group.currPos + step);
      node.tree.remove(node);
      this.queue(node, next);
    }
    commit(node.server, next);
  }

  /** fwrr_get_server_from_group: the head of `curr` if its turn has come, else the heaviest in `init`. */
  private serverFromGroup(group: FwrrGroup<S>): FwrrNode<S> | undefined {
    const current = group.curr.first();
    if (current && current.server.eweight > 0 && current.npos <= group.currPos) return current;
    const waiting = group.init.first();
    if (waiting && waiting.server.eweight > 0) {
      waiting.npos = 0;
      waiting.rweight = 0;
      return waiting;
    }
    // A "hole": nobody's turn yet and nobody waiting, so the earliest placed server goes anyway.
    return current;
  }

  /** fwrr_update_position: move the chosen server Σweight/eweight positions on. */
  private updatePosition(group: FwrrGroup<S>, node: FwrrNode<S>): void {
    const eweight = node.server.eweight;
    if (eweight === 0) return;
    if (node.npos === 0) node.npos = group.currPos;
    node.lpos = node.npos;
    node.npos = u32(node.npos + Math.floor(group.nextWeight / eweight));
    node.rweight += group.nextWeight % eweight;
    if (node.rweight >= eweight) {
      node.rweight -= eweight;
      node.npos = u32(node.npos + 1);
    }
  }

  /** fwrr_queue_srv: into `curr` at its position, or into `next` if it falls beyond this window. */
  private queue(node: FwrrNode<S>, state: NextLbState): void {
    const group = this.groupOf(node);
    if (!state.usable) {
      node.tree = null;
    } else if (state.eweight <= 0 || node.npos >= 2 * group.currWeight || node.npos >= group.currWeight + group.nextWeight) {
      node.npos = u32(node.npos - group.currWeight);
      this.queueByWeight(group.next, node, state.eweight);
    } else {
      const key = u32(POSITION_KEY_STEP * node.npos + Math.floor(u32(MAX_EFFECTIVE_WEIGHT + node.rweight - state.eweight) / WEIGHT_SCALE));
      group.curr.insert(key, node);
      node.tree = group.curr;
    }
  }

  /** fwrr_queue_by_weight: heaviest first, so heavy servers start early and spread evenly. */
  private queueByWeight(tree: OrderedTree<FwrrNode<S>>, node: FwrrNode<S>, eweight: number): void {
    tree.insert(MAX_EFFECTIVE_WEIGHT - eweight, node);
    node.tree = tree;
  }

  /** fwrr_get_srv: bring `npos` back into the current window's frame before re-placing a server. */
  private prepareForExtraction(node: FwrrNode<S>): void {
    const group = this.groupOf(node);
    if (node.tree === group.init) {
      node.npos = 0;
      node.rweight = 0;
    } else if (node.tree === group.next) {
      node.npos = u32(node.npos + group.currWeight);
    } else if (node.tree === null) {
      node.npos = group.currPos;
    }
  }

  /** fwrr_switch_trees: a new window begins with the servers that were pushed to `next`. */
  private switchTrees(group: FwrrGroup<S>): void {
    const emptied = group.init;
    group.init = group.next;
    group.next = emptied;
    group.currWeight = group.nextWeight;
    group.currPos = group.currWeight;
  }

  private groupOf(node: FwrrNode<S>): FwrrGroup<S> {
    return node.server.view.backup ? this.backup : this.active;
  }

  private nodeAt(server: LbServer<S>): FwrrNode<S> {
    const node = this.nodes[server.position];
    if (!node) throw new Error(`roundrobin: unknown server ${server.view.name}`);
    return node;
  }

  private nodeOf(server: LbServer<S>): FwrrNode<S> | undefined {
    return this.nodes[server.position];
  }
}
