//! How strongly an industry (or product) depends on each material upstream
//! of it, combined over every dependence chain without enumerating chains,
//! and the strongest chain to each material for the explanation.
//!
//! `D(v, m) = 1 − Π over v's inputs (u, w) of (1 − w × R(u, m))`, with
//! `R(u, m) = 1` when `u` is `m` itself, else `D(u, m)`: at every junction
//! the inputs are independent channels, and a channel's weight applies once
//! to everything that flows through it. The recursion runs over chains of at
//! most [`MAX_PATH_HOPS`] edges (rounds of relaxation over the edges, so a
//! cycle is followed at most that deep and the work is
//! `rounds × edges × materials`, never the number of paths).
//!
//! Invariant: only reads the graph; every value lies in 0..1.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::{Direction, EdgeIndex, EdgeKind, NodeIndex};

use super::context::Context;
use super::exposure::DependenceLink;
use super::{DEFAULT_DEPENDENCE, DEFAULT_UMBRELLA_DEPENDENCE, MAX_PATH_HOPS};

/// The dependence of every node of a region on the materials upstream of it.
#[derive(Debug)]
pub(crate) struct DependenceTable {
    local: HashMap<NodeIndex, usize>,
    nodes: Vec<NodeIndex>,
    /// Per local node, its inputs (read once; the chain search reuses them).
    inputs: Vec<Vec<Input>>,
    /// Per local node, the local nodes it is an input of.
    users: Vec<Vec<usize>>,
    /// Per local node, `(material local index, D)`.
    values: Vec<Vec<(usize, f64)>>,
    /// The strongest chains found so far, by the user and the materials
    /// wanted ([`ChainSearch`]): a run that keeps the table (its cache)
    /// explains the same rows again without searching.
    chains: Mutex<HashMap<ChainsKey, Arc<Chains>>>,
}

/// The strongest chain to each material found, from the material up to the user.
pub(crate) type Chains = HashMap<NodeIndex, Vec<DependenceLink>>;

/// A chain search: the user and the materials wanted.
type ChainsKey = (NodeIndex, Vec<NodeIndex>);

/// Chain searches kept per table at most (a run asking about many
/// suppliers wants other materials each time); the oldest go all at once.
const MAX_KEPT_CHAINS: usize = 1 << 16;

/// One input of a node: the edge, the input node, its weight.
#[derive(Debug, Clone, Copy)]
struct Input {
    edge: EdgeIndex,
    from: NodeIndex,
    weight: f64,
}

impl DependenceTable {
    /// The table for everything within [`MAX_PATH_HOPS`] inputs of `users`.
    pub(crate) fn new(ctx: &Context<'_>, users: &[NodeIndex]) -> DependenceTable {
        let (nodes, node_inputs) = region(ctx, users);
        let local: HashMap<NodeIndex, usize> = nodes
            .iter()
            .enumerate()
            .map(|(position, node)| (*node, position))
            .collect();
        let local_inputs: Vec<Vec<(usize, f64)>> = node_inputs
            .iter()
            .map(|found| {
                found
                    .iter()
                    .filter_map(|input| Some((*local.get(&input.from)?, input.weight)))
                    .collect()
            })
            .collect();
        let is_material: Vec<bool> = nodes.iter().map(|node| ctx.is_material(*node)).collect();
        let values = relax(&local_inputs, &is_material);
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (user, found) in local_inputs.iter().enumerate() {
            for &(input, _) in found {
                users[input].push(user);
            }
        }
        DependenceTable {
            local,
            nodes,
            inputs: node_inputs,
            users,
            values,
            chains: Mutex::default(),
        }
    }

    /// Which region nodes use `material`, directly or through others (by
    /// local index): the only nodes a chain to it can pass through.
    fn users_of(&self, material: NodeIndex) -> Vec<bool> {
        let mut reached = vec![false; self.nodes.len()];
        let Some(&start) = self.local.get(&material) else {
            return reached;
        };
        let mut stack = vec![start];
        reached[start] = true;
        while let Some(node) = stack.pop() {
            for &user in &self.users[node] {
                if !reached[user] {
                    reached[user] = true;
                    stack.push(user);
                }
            }
        }
        reached
    }

    /// A region node's inputs (none outside the region, which a search
    /// from one of the table's users never leaves).
    fn inputs_of(&self, node: NodeIndex) -> &[Input] {
        self.local
            .get(&node)
            .map_or(&[], |position| self.inputs[*position].as_slice())
    }

    /// `(material, D)` for every material `user` depends on (in no
    /// particular order: callers rank them).
    pub(crate) fn of(&self, user: NodeIndex) -> Vec<(NodeIndex, f64)> {
        let Some(position) = self.local.get(&user) else {
            return Vec::new();
        };
        self.values[*position]
            .iter()
            .filter(|(_, dependence)| *dependence > 0.0)
            .map(|(material, dependence)| (self.nodes[*material], *dependence))
            .collect()
    }
}

/// Rounds of `D_k(v) = 1 − Π (1 − w × R_{k−1}(u))` until nothing changes or
/// [`MAX_PATH_HOPS`] rounds have run.
fn relax(inputs: &[Vec<(usize, f64)>], is_material: &[bool]) -> Vec<Vec<(usize, f64)>> {
    let n_nodes = inputs.len();
    let mut values: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_nodes];
    let mut scratch = Scratch {
        untouched: vec![1.0; n_nodes],
        is_touched: vec![false; n_nodes],
        touched: Vec::new(),
    };
    for _ in 0..MAX_PATH_HOPS {
        let mut next: Vec<Vec<(usize, f64)>> = Vec::with_capacity(n_nodes);
        for (node, node_inputs) in inputs.iter().enumerate() {
            for &(from, weight) in node_inputs {
                if is_material[from] && from != node {
                    scratch.hit(from, weight);
                }
                for &(material, dependence) in &values[from] {
                    if material != node {
                        scratch.hit(material, weight * dependence);
                    }
                }
            }
            next.push(scratch.take());
        }
        if next == values {
            break;
        }
        values = next;
    }
    values
}

/// Per material, the chance that no channel reached so far hits it.
struct Scratch {
    untouched: Vec<f64>,
    is_touched: Vec<bool>,
    touched: Vec<usize>,
}

impl Scratch {
    fn hit(&mut self, material: usize, strength: f64) {
        if !self.is_touched[material] {
            self.is_touched[material] = true;
            self.touched.push(material);
        }
        self.untouched[material] *= 1.0 - strength.clamp(0.0, 1.0);
    }

    /// `(material, 1 − untouched)` in the order first touched (the same
    /// every round once values settle), and a clean slate.
    fn take(&mut self) -> Vec<(usize, f64)> {
        let row = self
            .touched
            .iter()
            .map(|&material| (material, (1.0 - self.untouched[material]).clamp(0.0, 1.0)))
            .collect();
        for &material in &self.touched {
            self.untouched[material] = 1.0;
            self.is_touched[material] = false;
        }
        self.touched.clear();
        row
    }
}

/// The nodes within [`MAX_PATH_HOPS`] inputs of `users` (users included),
/// in the order a breadth-first walk meets them, each with its inputs (read
/// once, here).
fn region(ctx: &Context<'_>, users: &[NodeIndex]) -> (Vec<NodeIndex>, Vec<Vec<Input>>) {
    let mut seen: HashSet<NodeIndex> = HashSet::default();
    let mut order = Vec::new();
    let mut queue: VecDeque<(NodeIndex, usize)> = VecDeque::new();
    for user in users {
        if seen.insert(*user) {
            order.push(*user);
            queue.push_back((*user, 0));
        }
    }
    // The queue hands nodes out in the order they were added to `order`,
    // so `found[i]` belongs to `order[i]`.
    let mut found = Vec::with_capacity(order.len());
    while let Some((node, depth)) = queue.pop_front() {
        let node_inputs = inputs(ctx, node);
        if depth < MAX_PATH_HOPS {
            for input in &node_inputs {
                if seen.insert(input.from) {
                    order.push(input.from);
                    queue.push_back((input.from, depth + 1));
                }
            }
        }
        found.push(node_inputs);
    }
    (order, found)
}

/// What a user needs directly: materials it is made of (`used_in`
/// backwards) and industries it builds on (`depends_on`). `member_of` is not
/// followed: a group's uses are not uses of every element (yttrium is no
/// magnet material because magnets use rare earths); policies on a group
/// reach its elements through the supply side instead.
fn inputs(ctx: &Context<'_>, node: NodeIndex) -> Vec<Input> {
    let mut found = Vec::new();
    let weighted = |edge: EdgeIndex, default: f64| {
        ctx.number(edge, "dependence")
            .unwrap_or(default)
            .clamp(0.0, 1.0)
    };
    let kinds = [
        (EdgeKind::UsedIn, Direction::Incoming, DEFAULT_DEPENDENCE),
        (
            EdgeKind::DependsOn,
            Direction::Outgoing,
            DEFAULT_UMBRELLA_DEPENDENCE,
        ),
    ];
    for (kind, direction, default) in kinds {
        for &(edge, from) in ctx.graph.edges_slice(node, kind, direction) {
            if ctx.edge_active(edge) {
                let weight = weighted(edge, default);
                found.push(Input { edge, from, weight });
            }
        }
    }
    found
}

/// Strongest-chain searches over one table, remembering for each material
/// which nodes use it, so that a search only walks nodes that lead to the
/// materials it looks for (the same chains, far fewer nodes on a dense graph).
pub(crate) struct ChainSearch<'t> {
    table: &'t DependenceTable,
    users_of: HashMap<NodeIndex, Vec<bool>>,
}

impl<'t> ChainSearch<'t> {
    pub(crate) fn new(table: &'t DependenceTable) -> ChainSearch<'t> {
        ChainSearch {
            table,
            users_of: HashMap::default(),
        }
    }

    /// [`strongest_chains`] from `user` to the `wanted` materials, searched
    /// once per table: the table keeps what was found.
    pub(crate) fn chains(
        &mut self,
        ctx: &Context<'_>,
        user: NodeIndex,
        wanted: &[NodeIndex],
    ) -> Arc<Chains> {
        let key = (user, wanted.to_vec());
        let kept = |table: &DependenceTable| {
            table
                .chains
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&key)
                .map(Arc::clone)
        };
        if let Some(found) = kept(self.table) {
            return found;
        }
        let found = Arc::new(self.search(ctx, user, wanted));
        if !crate::cancel::requested() {
            let mut kept = self
                .table
                .chains
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if kept.len() >= MAX_KEPT_CHAINS {
                kept.clear();
            }
            kept.insert(key, Arc::clone(&found));
        }
        found
    }

    fn search(&mut self, ctx: &Context<'_>, user: NodeIndex, wanted: &[NodeIndex]) -> Chains {
        for material in wanted {
            if !self.users_of.contains_key(material) {
                let reached = self.table.users_of(*material);
                self.users_of.insert(*material, reached);
            }
        }
        let table = self.table;
        let leads = |node: NodeIndex| {
            wanted.contains(&node)
                || table.local.get(&node).is_some_and(|&position| {
                    wanted.iter().any(|material| {
                        self.users_of
                            .get(material)
                            .is_some_and(|reached| reached[position])
                    })
                })
        };
        strongest_chains(ctx, table, user, wanted, leads)
    }
}

/// The strongest chain from `user` down to each of the `wanted` materials:
/// the product of weights is largest (fewest edges, then smallest ids, among
/// equals). Each chain runs from the material up to `user`. A best-first
/// search over the nodes that `leads` to a wanted material, stopping once
/// every wanted material is settled.
pub(crate) fn strongest_chains(
    ctx: &Context<'_>,
    table: &DependenceTable,
    user: NodeIndex,
    wanted: &[NodeIndex],
    leads: impl Fn(NodeIndex) -> bool,
) -> HashMap<NodeIndex, Vec<DependenceLink>> {
    let mut missing: Vec<NodeIndex> = wanted.to_vec();
    let mut best: HashMap<NodeIndex, Best> = HashMap::default();
    let mut heap = BinaryHeap::new();
    best.insert(
        user,
        Best {
            strength: 1.0,
            hops: 0,
            via: None,
        },
    );
    heap.push(Visit {
        strength: 1.0,
        hops: 0,
        id: ctx.id(user),
        node: user,
    });
    while let Some(visit) = heap.pop() {
        if crate::cancel::requested() {
            break;
        }
        let current = best.get(&visit.node).map(|b| (b.strength, b.hops));
        if current != Some((visit.strength, visit.hops)) {
            continue;
        }
        missing.retain(|node| *node != visit.node);
        if missing.is_empty() {
            break;
        }
        if visit.hops >= MAX_PATH_HOPS {
            continue;
        }
        for input in table.inputs_of(visit.node) {
            if !leads(input.from) {
                continue;
            }
            let candidate = Best {
                strength: visit.strength * input.weight,
                hops: visit.hops + 1,
                via: Some((input.edge, input.weight, visit.node)),
            };
            let better = best
                .get(&input.from)
                .is_none_or(|known| candidate.beats(known, ctx));
            if better && input.from != user {
                heap.push(Visit {
                    strength: candidate.strength,
                    hops: candidate.hops,
                    id: ctx.id(input.from),
                    node: input.from,
                });
                best.insert(input.from, candidate);
            }
        }
    }
    wanted
        .iter()
        .filter(|node| **node != user && best.contains_key(node))
        .map(|material| (*material, chain_to(&best, *material)))
        .collect()
}

/// A node's best way up so far.
#[derive(Debug, Clone, Copy)]
struct Best {
    strength: f64,
    hops: usize,
    /// The edge taken, its weight, and the node it leads to (towards the user).
    via: Option<(EdgeIndex, f64, NodeIndex)>,
}

impl Best {
    fn beats(&self, other: &Best, ctx: &Context<'_>) -> bool {
        match self.strength.total_cmp(&other.strength) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match other.hops.cmp(&self.hops) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => {
                    let toward = |best: &Best| best.via.map(|(_, _, next)| ctx.id(next));
                    toward(self) < toward(other)
                }
            },
        }
    }
}

/// Heap entry: strongest first, then fewest hops, then smallest id.
#[derive(Debug, Clone, Copy)]
struct Visit<'g> {
    strength: f64,
    hops: usize,
    id: &'g str,
    node: NodeIndex,
}

impl Ord for Visit<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.strength
            .total_cmp(&other.strength)
            .then(other.hops.cmp(&self.hops))
            .then(other.id.cmp(self.id))
    }
}

impl PartialOrd for Visit<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Visit<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Visit<'_> {}

fn chain_to(best: &HashMap<NodeIndex, Best>, material: NodeIndex) -> Vec<DependenceLink> {
    let mut chain = Vec::new();
    let mut node = material;
    while let Some((edge, weight, next)) = best.get(&node).and_then(|b| b.via) {
        chain.push(DependenceLink { edge, weight });
        node = next;
        if chain.len() > MAX_PATH_HOPS {
            break;
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    #[test]
    fn a_shared_channel_counts_once() {
        // inputs: m → p (0.5), m → q (0.5), p → i (1.0), q → i (1.0)
        let inputs = vec![
            vec![],
            vec![(0, 0.5)],
            vec![(0, 0.5)],
            vec![(1, 1.0), (2, 1.0)],
        ];
        let is_material = vec![true, true, true, false];
        let values = relax(&inputs, &is_material);
        let on_m = values[3].iter().find(|(m, _)| *m == 0).map(|(_, d)| *d);
        assert!((on_m.unwrap() - 0.75).abs() < 1e-12);
        // i → j with 0.5 over the same: the channel's weight applies once.
        let mut inputs = inputs;
        inputs.push(vec![(3, 0.5)]);
        let is_material = vec![true, true, true, false, false];
        let values = relax(&inputs, &is_material);
        let on_m = values[4].iter().find(|(m, _)| *m == 0).map(|(_, d)| *d);
        assert!((on_m.unwrap() - 0.375).abs() < 1e-12);
    }

    #[test]
    fn cycles_end_after_the_hop_limit() {
        // a ⇄ b, m → a
        let inputs = vec![vec![], vec![(0, 0.5), (2, 0.5)], vec![(1, 0.5)]];
        let values = relax(&inputs, &[true, false, false]);
        assert!(
            values
                .iter()
                .flatten()
                .all(|(_, d)| (0.0..=1.0).contains(d))
        );
    }

    #[test]
    fn strongest_chain_reaches_every_material_of_the_fixture() {
        let fixture = Fixture::new();
        let ctx = Context::new(&fixture.graph);
        let defense = fixture.node("defense");
        let table = DependenceTable::new(&ctx, &[defense]);
        let materials: Vec<NodeIndex> = table.of(defense).iter().map(|(m, _)| *m).collect();
        assert!(!materials.is_empty());
        let chains = ChainSearch::new(&table).chains(&ctx, defense, &materials);
        let unpruned = strongest_chains(&ctx, &table, defense, &materials, |_| true);
        assert_eq!(chains.len(), unpruned.len());
        for (material, chain) in &unpruned {
            let edges = |links: &[DependenceLink]| links.iter().map(|l| l.edge).collect::<Vec<_>>();
            assert_eq!(edges(&chains[material]), edges(chain));
        }
        for material in materials {
            let chain = &chains[&material];
            assert!(!chain.is_empty());
            let (from, _) = ctx.graph.endpoints(chain[0].edge);
            assert_eq!(from, material);
        }
    }
}
