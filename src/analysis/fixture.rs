//! A small hand-made graph for the unit tests (test builds only).

use std::sync::Arc;

use crate::model::{
    EdgeKind, Fields, Graph, NodeIndex, NodeKind, PartialDate, Source, Validity, Value,
};

pub(crate) struct Fixture {
    pub graph: Graph,
}

pub(crate) fn day(text: &str) -> PartialDate {
    PartialDate::parse(text).unwrap()
}

fn value(raw: &str) -> Value {
    match raw.parse::<f64>() {
        Ok(number) if !PartialDate::looks_like_date(raw) => Value::Number(number),
        _ => Value::from_text(raw).unwrap(),
    }
}

fn props(pairs: &[(&str, &str)]) -> Vec<(Arc<str>, Value)> {
    pairs
        .iter()
        .map(|(key, raw)| match *key {
            "year" => (Arc::from(*key), Value::Number(raw.parse().unwrap())),
            _ => (Arc::from(*key), value(raw)),
        })
        .collect()
}

impl Fixture {
    pub fn new() -> Fixture {
        let mut fixture = Fixture {
            graph: Graph::new(),
        };
        fixture.graph.add_source(Source {
            id: "test".into(),
            title: "Test fixture".into(),
            publisher: None,
            published: None,
            url: None,
            note: None,
        });
        fixture.add_nodes();
        fixture.add_supply();
        fixture.add_uses();
        fixture.add_policies();
        fixture
    }

    pub fn node(&self, id: &str) -> NodeIndex {
        self.graph.node_by_id(id).unwrap()
    }

    pub(crate) fn add_node(&mut self, id: &str, kind: NodeKind, pairs: &[(&str, &str)]) {
        let fields = Fields {
            props: props(pairs),
            sources: vec![crate::model::SourceIdx(0)],
            valid: Validity::default(),
        };
        self.graph
            .add_node(id.into(), kind, id.into(), Vec::new(), fields);
    }

    pub(crate) fn edge(&mut self, from: &str, kind: EdgeKind, to: &str, pairs: &[(&str, &str)]) {
        self.edge_valid(from, kind, to, pairs, Validity::default());
    }

    fn edge_valid(
        &mut self,
        from: &str,
        kind: EdgeKind,
        to: &str,
        pairs: &[(&str, &str)],
        valid: Validity,
    ) {
        let fields = Fields {
            props: props(pairs),
            sources: vec![crate::model::SourceIdx(0)],
            valid,
        };
        let (from, to) = (self.node(from), self.node(to));
        self.graph.add_edge(from, to, kind, fields);
    }

    fn add_nodes(&mut self) {
        for id in [
            "germanium",
            "gallium",
            "antimony",
            "rare-earths",
            "dysprosium",
        ] {
            self.add_node(id, NodeKind::Mineral, &[]);
        }
        self.add_node("magnets", NodeKind::Product, &[]);
        for id in [
            "defense",
            "def-ir",
            "def-munitions",
            "def-radar",
            "semis",
            "fiber",
        ] {
            self.add_node(id, NodeKind::Industry, &[]);
        }
        for id in ["china", "us", "canada", "russia"] {
            self.add_node(id, NodeKind::Country, &[]);
        }
        self.add_node(
            "cn-mofcom-2023-23",
            NodeKind::Policy,
            &[("announced", "2023-07-03"), ("effective", "2023-08-01")],
        );
        self.add_node(
            "cn-mofcom-2024-46",
            NodeKind::Policy,
            &[
                ("announced", "2024-12-03"),
                ("effective", "2024-12-03"),
                ("suspended", "2025-11-09"),
                ("suspended_until", "2026-11-27"),
            ],
        );
        self.add_node(
            "cn-mofcom-2025-18",
            NodeKind::Policy,
            &[("effective", "2025-04-04")],
        );
        self.add_node(
            "ev-ge-exports-zero",
            NodeKind::Event,
            &[("date", "2023-08")],
        );
    }

    fn add_supply(&mut self) {
        use EdgeKind::{ImportReliance, ImportsFrom, Produces};
        let produces = [
            ("china", "germanium", "refining", "0.857", "2022"),
            ("china", "germanium", "refining", "0.83", "2024"),
            ("canada", "germanium", "refining", "0.1", "2024"),
            ("russia", "germanium", "refining", "0.05", "2024"),
            ("china", "gallium", "refining", "0.98", "2024"),
            ("russia", "gallium", "refining", "0.01", "2024"),
            ("china", "antimony", "mining", "0.6", "2024"),
            ("russia", "antimony", "mining", "0.1", "2024"),
            ("china", "antimony", "refining", "0.85", "2024"),
            ("china", "rare-earths", "mining", "0.69", "2024"),
            ("us", "rare-earths", "mining", "0.115", "2024"),
            ("china", "dysprosium", "refining", "0.99", "2024"),
            ("china", "magnets", "manufacturing", "0.9", "2024"),
        ];
        for (from, to, stage, share, year) in produces {
            self.edge(
                from,
                Produces,
                to,
                &[("stage", stage), ("share", share), ("year", year)],
            );
        }
        for (item, share) in [("germanium", "0.5"), ("gallium", "1"), ("antimony", "0.85")] {
            self.edge(
                "us",
                ImportReliance,
                item,
                &[("share", share), ("year", "2024")],
            );
        }
        let imports = [
            ("china", "germanium", "0.54"),
            ("canada", "germanium", "0.2"),
            ("china", "gallium", "0.21"),
            ("china", "antimony", "0.63"),
        ];
        for (origin, item, share) in imports {
            let pairs = [("item", item), ("share", share), ("period", "2020-2023")];
            self.edge("us", ImportsFrom, origin, &pairs);
        }
    }

    fn add_uses(&mut self) {
        use EdgeKind::{DependsOn, MemberOf, UsedIn};
        let used_in = [
            ("germanium", "def-ir", Some("0.9")),
            ("gallium", "def-radar", Some("0.9")),
            ("antimony", "def-munitions", Some("0.8")),
            ("gallium", "semis", Some("0.7")),
            ("germanium", "semis", Some("0.5")),
            ("dysprosium", "magnets", Some("0.6")),
            ("rare-earths", "magnets", None),
            ("magnets", "def-radar", Some("0.3")),
        ];
        for (from, to, dependence) in used_in {
            let pairs: Vec<(&str, &str)> =
                dependence.map(|d| ("dependence", d)).into_iter().collect();
            self.edge(from, UsedIn, to, &pairs);
        }
        let since_2020 = Validity {
            from: Some(day("2020")),
            to: None,
        };
        self.edge_valid(
            "germanium",
            UsedIn,
            "fiber",
            &[("dependence", "0.8")],
            since_2020,
        );
        self.edge("defense", DependsOn, "def-ir", &[]);
        self.edge("defense", DependsOn, "def-munitions", &[]);
        self.edge("defense", DependsOn, "def-radar", &[("dependence", "0.9")]);
        self.edge("def-radar", DependsOn, "semis", &[("dependence", "0.6")]);
        self.edge("dysprosium", MemberOf, "rare-earths", &[]);
    }

    fn add_policies(&mut self) {
        use EdgeKind::{Affects, IssuedBy, Restricts, Targets};
        for policy in [
            "cn-mofcom-2023-23",
            "cn-mofcom-2024-46",
            "cn-mofcom-2025-18",
        ] {
            self.edge(policy, IssuedBy, "china", &[]);
        }
        let licensing = [("measure", "licensing"), ("severity", "0.5")];
        self.edge("cn-mofcom-2023-23", Restricts, "germanium", &licensing);
        self.edge("cn-mofcom-2023-23", Restricts, "gallium", &licensing);
        self.edge("cn-mofcom-2025-18", Restricts, "rare-earths", &licensing);
        for item in ["gallium", "germanium", "antimony"] {
            self.edge(
                "cn-mofcom-2024-46",
                Restricts,
                item,
                &[("measure", "ban"), ("severity", "1")],
            );
        }
        self.edge("cn-mofcom-2024-46", Targets, "us", &[]);
        let exports = [
            ("metric", "exports"),
            ("value", "0"),
            ("unit", "kg"),
            ("period", "2023-08"),
        ];
        self.edge("ev-ge-exports-zero", Affects, "germanium", &exports);
    }
}
