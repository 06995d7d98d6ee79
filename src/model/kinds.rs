//! Node and edge kinds, and which edge kinds may join which node kinds.

use std::fmt;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Mineral,
    Product,
    Industry,
    Country,
    Policy,
    Event,
}

impl NodeKind {
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Mineral,
        NodeKind::Product,
        NodeKind::Industry,
        NodeKind::Country,
        NodeKind::Policy,
        NodeKind::Event,
    ];

    /// The name used in data files and queries (`mineral`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Mineral => "mineral",
            NodeKind::Product => "product",
            NodeKind::Industry => "industry",
            NodeKind::Country => "country",
            NodeKind::Policy => "policy",
            NodeKind::Event => "event",
        }
    }

    /// The plural used by `list` (`minerals`, `industries`).
    pub fn plural(self) -> &'static str {
        match self {
            NodeKind::Mineral => "minerals",
            NodeKind::Product => "products",
            NodeKind::Industry => "industries",
            NodeKind::Country => "countries",
            NodeKind::Policy => "policies",
            NodeKind::Event => "events",
        }
    }

    /// Parses a kind name, singular or plural, case-insensitively.
    pub fn parse(text: &str) -> Option<NodeKind> {
        let lower = text.to_ascii_lowercase();
        NodeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == lower || kind.plural() == lower)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an edge says about its two ends. Direction matters: `from → to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    Produces,
    Reserves,
    /// Production capacity of a country (USGS plant, smelter, clinker capacity).
    Capacity,
    ImportReliance,
    ImportsFrom,
    UsedIn,
    DependsOn,
    IssuedBy,
    Restricts,
    Targets,
    Affects,
    CausedBy,
    RespondsTo,
    MemberOf,
    /// A material made from another, or recovered from its processing:
    /// `bauxite → alumina → aluminum`, the host `zinc → germanium`.
    Feeds,
}

/// A kind's name with its article, for messages: `a mineral`, `an industry
/// or product`.
pub fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

use NodeKind as N;

impl EdgeKind {
    pub const ALL: [EdgeKind; 15] = [
        EdgeKind::Produces,
        EdgeKind::Reserves,
        EdgeKind::Capacity,
        EdgeKind::ImportReliance,
        EdgeKind::ImportsFrom,
        EdgeKind::UsedIn,
        EdgeKind::DependsOn,
        EdgeKind::IssuedBy,
        EdgeKind::Restricts,
        EdgeKind::Targets,
        EdgeKind::Affects,
        EdgeKind::CausedBy,
        EdgeKind::RespondsTo,
        EdgeKind::MemberOf,
        EdgeKind::Feeds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Produces => "produces",
            EdgeKind::Reserves => "reserves",
            EdgeKind::Capacity => "capacity",
            EdgeKind::ImportReliance => "import_reliance",
            EdgeKind::ImportsFrom => "imports_from",
            EdgeKind::UsedIn => "used_in",
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::IssuedBy => "issued_by",
            EdgeKind::Restricts => "restricts",
            EdgeKind::Targets => "targets",
            EdgeKind::Affects => "affects",
            EdgeKind::CausedBy => "caused_by",
            EdgeKind::RespondsTo => "responds_to",
            EdgeKind::MemberOf => "member_of",
            EdgeKind::Feeds => "feeds",
        }
    }

    /// Parses an edge kind name case-insensitively.
    pub fn parse(text: &str) -> Option<EdgeKind> {
        let lower = text.to_ascii_lowercase();
        EdgeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == lower)
    }

    /// The node kinds allowed at each end: `(from, to)`.
    pub fn endpoints(self) -> (&'static [NodeKind], &'static [NodeKind]) {
        const MATERIAL: &[NodeKind] = &[N::Mineral, N::Product];
        match self {
            EdgeKind::Produces | EdgeKind::ImportReliance | EdgeKind::Capacity => {
                (&[N::Country], MATERIAL)
            }
            EdgeKind::Reserves => (&[N::Country], &[N::Mineral]),
            EdgeKind::ImportsFrom => (&[N::Country], &[N::Country]),
            EdgeKind::UsedIn => (MATERIAL, &[N::Product, N::Industry]),
            EdgeKind::DependsOn => (&[N::Industry], &[N::Industry]),
            EdgeKind::IssuedBy | EdgeKind::Targets => (&[N::Policy], &[N::Country]),
            EdgeKind::Restricts => (&[N::Policy], MATERIAL),
            EdgeKind::Affects => (&[N::Event], &NodeKind::ALL),
            EdgeKind::CausedBy => (&[N::Event], &[N::Policy, N::Event]),
            EdgeKind::RespondsTo => (&[N::Policy], &[N::Policy, N::Event]),
            EdgeKind::MemberOf => (&[N::Mineral], &[N::Mineral]),
            EdgeKind::Feeds => (MATERIAL, MATERIAL),
        }
    }

    /// Whether an edge of this kind may run from `from` to `to`.
    pub fn allows(self, from: NodeKind, to: NodeKind) -> bool {
        let (froms, tos) = self.endpoints();
        froms.contains(&from) && tos.contains(&to)
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(NodeKind::parse(kind.plural()), Some(kind));
        }
        for kind in EdgeKind::ALL {
            assert_eq!(EdgeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NodeKind::parse("Minerals"), Some(NodeKind::Mineral));
        assert_eq!(NodeKind::parse("minerl"), None);
    }

    #[test]
    fn endpoint_rules_follow_the_design() {
        assert!(EdgeKind::Produces.allows(N::Country, N::Mineral));
        assert!(!EdgeKind::Produces.allows(N::Mineral, N::Country));
        assert!(EdgeKind::UsedIn.allows(N::Product, N::Industry));
        assert!(!EdgeKind::UsedIn.allows(N::Industry, N::Product));
        assert!(EdgeKind::Affects.allows(N::Event, N::Country));
        assert!(EdgeKind::Feeds.allows(N::Product, N::Mineral));
        assert!(!EdgeKind::Feeds.allows(N::Country, N::Mineral));
    }
}
