//! Span accessors and a walker over every span of the AST, used to turn
//! parser-relative spans into byte offsets and to compare ASTs ignoring spans.

use super::ast::*;
use super::span::{Span, Spanned};

/// Visits every span in a syntax tree.
pub trait WalkSpans {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span));

    /// A copy with every span zeroed, for span-insensitive comparison.
    fn without_spans(&self) -> Self
    where
        Self: Clone + Sized,
    {
        let mut copy = self.clone();
        copy.walk_spans(&mut |span| *span = Span::default());
        copy
    }
}

impl Source {
    pub fn span(&self) -> Span {
        match self {
            Source::Show { span, .. }
            | Source::Find { span, .. }
            | Source::Graph { span }
            | Source::List { span, .. }
            | Source::Depends { span, .. }
            | Source::Dependents { span, .. }
            | Source::Exposure { span, .. }
            | Source::Path { span, .. }
            | Source::Neighbors { span, .. }
            | Source::Concentration { span, .. }
            | Source::Timeline { span, .. }
            | Source::Match { span, .. } => *span,
        }
    }

    pub(crate) fn with_span(mut self, new_span: Span) -> Self {
        match &mut self {
            Source::Show { span, .. }
            | Source::Find { span, .. }
            | Source::Graph { span }
            | Source::List { span, .. }
            | Source::Depends { span, .. }
            | Source::Dependents { span, .. }
            | Source::Exposure { span, .. }
            | Source::Path { span, .. }
            | Source::Neighbors { span, .. }
            | Source::Concentration { span, .. }
            | Source::Timeline { span, .. }
            | Source::Match { span, .. } => *span = new_span,
        }
        self
    }

    /// The optional clause words this source accepts after its node.
    pub fn clause_words(&self) -> &'static [&'static str] {
        match self {
            Source::List { .. } => &["where"],
            Source::Depends { .. } | Source::Dependents { .. } => &["depth"],
            Source::Path { .. } => &["all", "max", "via"],
            Source::Neighbors { .. } => &["depth", "via"],
            Source::Concentration { .. } => &["stage", "year"],
            Source::Timeline { .. } => &["from", "to"],
            Source::Exposure { .. } => &["for", "by", "tiers"],
            Source::Show { .. }
            | Source::Find { .. }
            | Source::Graph { .. }
            | Source::Match { .. } => &[],
        }
    }
}

impl Stage {
    pub fn span(&self) -> Span {
        match self {
            Stage::Where { span, .. }
            | Stage::Sort { span, .. }
            | Stage::Take { span, .. }
            | Stage::Select { span, .. }
            | Stage::Count { span }
            | Stage::Chart { span }
            | Stage::Group { span, .. }
            | Stage::Explain { span }
            | Stage::Export { span, .. } => *span,
        }
    }

    pub(crate) fn with_span(mut self, new_span: Span) -> Self {
        match &mut self {
            Stage::Where { span, .. }
            | Stage::Sort { span, .. }
            | Stage::Take { span, .. }
            | Stage::Select { span, .. }
            | Stage::Count { span }
            | Stage::Chart { span }
            | Stage::Group { span, .. }
            | Stage::Explain { span }
            | Stage::Export { span, .. } => *span = new_span,
        }
        self
    }
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number(Number { span, .. })
            | Expr::Str(StrLit { span, .. })
            | Expr::Date(DateLit { span, .. })
            | Expr::Bool { span, .. }
            | Expr::Null { span }
            | Expr::Ident(Spanned { span, .. })
            | Expr::Node(NodeRef { span, .. })
            | Expr::Param(Param { span, .. })
            | Expr::Call { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Logical { span, .. }
            | Expr::In { span, .. } => *span,
        }
    }
}

impl<T> Arg<T> {
    pub fn lit(&self) -> Option<&T> {
        match self {
            Arg::Lit(value) => Some(value),
            Arg::Param(_) => None,
        }
    }
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Query(query) => query.span,
            Statement::Meta(meta) => meta.span,
        }
    }
}

impl Query {
    /// The date of `as of`, if given.
    pub fn as_of(&self) -> Option<&Arg<DateLit>> {
        self.modifiers.iter().find_map(|modifier| match modifier {
            Modifier::AsOf { date, .. } => Some(date),
            Modifier::Assuming { .. } => None,
        })
    }

    /// The scenario of `assuming`, if given.
    pub fn scenario(&self) -> Option<&Scenario> {
        self.modifiers.iter().find_map(|modifier| match modifier {
            Modifier::Assuming { scenario, .. } => Some(scenario),
            Modifier::AsOf { .. } => None,
        })
    }
}

impl WalkSpans for Span {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        visit(self);
    }
}

impl<T: WalkSpans> WalkSpans for Option<T> {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        if let Some(inner) = self {
            inner.walk_spans(visit);
        }
    }
}

impl<T: WalkSpans> WalkSpans for Vec<T> {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        for item in self {
            item.walk_spans(visit);
        }
    }
}

impl<T: WalkSpans> WalkSpans for Box<T> {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        (**self).walk_spans(visit);
    }
}

impl<T> WalkSpans for Spanned<T> {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        visit(&mut self.span);
    }
}

impl<T: WalkSpans> WalkSpans for Arg<T> {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Arg::Lit(value) => value.walk_spans(visit),
            Arg::Param(param) => visit(&mut param.span),
        }
    }
}

/// Leaf types whose only spans are their own `span` field.
macro_rules! leaf_spans {
    ($($ty:ty),*) => {$(
        impl WalkSpans for $ty {
            fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
                visit(&mut self.span);
            }
        }
    )*};
}

leaf_spans!(Param, Count, Number, StrLit, DateLit, Hops);

impl WalkSpans for NodeRef {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        if let Some((_, kind_span)) = &mut self.kind {
            visit(kind_span);
        }
        visit(&mut self.span);
    }
}

impl WalkSpans for Statement {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Statement::Query(query) => query.walk_spans(visit),
            Statement::Meta(meta) => meta.walk_spans(visit),
        }
    }
}

impl WalkSpans for Query {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.source.walk_spans(visit);
        self.modifiers.walk_spans(visit);
        self.stages.walk_spans(visit);
        visit(&mut self.span);
    }
}

impl WalkSpans for Source {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Source::Show { node, span } => walk2(node, span, visit),
            Source::Find { text, span } => walk2(text, span, visit),
            Source::Graph { span } => span.walk_spans(visit),
            Source::List { kind, filter, span } => {
                kind.walk_spans(visit);
                walk2(filter, span, visit);
            }
            Source::Depends { node, depth, span } | Source::Dependents { node, depth, span } => {
                node.walk_spans(visit);
                walk2(depth, span, visit);
            }
            Source::Exposure {
                target,
                industry,
                supplier,
                materials,
                tiers,
                span,
                ..
            } => {
                target.walk_spans(visit);
                industry.walk_spans(visit);
                supplier.walk_spans(visit);
                materials.walk_spans(visit);
                walk2(tiers, span, visit);
            }
            Source::Path {
                from,
                to,
                max,
                span,
                ..
            } => {
                from.walk_spans(visit);
                to.walk_spans(visit);
                walk2(max, span, visit);
            }
            Source::Neighbors {
                node,
                depth,
                via,
                span,
            } => {
                node.walk_spans(visit);
                depth.walk_spans(visit);
                walk2(via, span, visit);
            }
            Source::Concentration {
                node,
                stage,
                year,
                span,
            } => {
                node.walk_spans(visit);
                stage.walk_spans(visit);
                walk2(year, span, visit);
            }
            Source::Timeline {
                node,
                from,
                to,
                span,
            } => {
                node.walk_spans(visit);
                from.walk_spans(visit);
                walk2(to, span, visit);
            }
            Source::Match {
                pattern,
                filter,
                returns,
                span,
            } => {
                pattern.walk_spans(visit);
                filter.walk_spans(visit);
                walk2(returns, span, visit);
            }
        }
    }
}

fn walk2(item: &mut impl WalkSpans, span: &mut Span, visit: &mut dyn FnMut(&mut Span)) {
    item.walk_spans(visit);
    visit(span);
}

impl WalkSpans for Modifier {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Modifier::AsOf { date, span } => walk2(date, span, visit),
            Modifier::Assuming { scenario, span } => walk2(scenario, span, visit),
        }
    }
}

impl WalkSpans for Scenario {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Scenario::Ban {
                country,
                item,
                destination,
                span,
            } => {
                country.walk_spans(visit);
                item.walk_spans(visit);
                walk2(destination, span, visit);
            }
            Scenario::Cut {
                country,
                item,
                fraction,
                destination,
                span,
            } => {
                country.walk_spans(visit);
                item.walk_spans(visit);
                fraction.walk_spans(visit);
                walk2(destination, span, visit);
            }
            Scenario::Lifted { policy, span } | Scenario::InForce { policy, span } => {
                walk2(policy, span, visit)
            }
        }
    }
}

impl WalkSpans for Stage {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Stage::Where { cond, span } => walk2(cond, span, visit),
            Stage::Sort { keys, span } => walk2(keys, span, visit),
            Stage::Take { count, span } => walk2(count, span, visit),
            Stage::Select { items, span } => walk2(items, span, visit),
            Stage::Count { span } | Stage::Chart { span } | Stage::Explain { span } => visit(span),
            Stage::Group {
                keys,
                aggregates,
                span,
            } => {
                keys.walk_spans(visit);
                walk2(aggregates, span, visit);
            }
            Stage::Export {
                file, format, span, ..
            } => {
                file.walk_spans(visit);
                walk2(format, span, visit);
            }
        }
    }
}

impl WalkSpans for SortKey {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        walk2(&mut self.expr, &mut self.span, visit);
    }
}

impl WalkSpans for Projection {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.expr.walk_spans(visit);
        walk2(&mut self.alias, &mut self.span, visit);
    }
}

impl WalkSpans for Expr {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match self {
            Expr::Number(number) => number.walk_spans(visit),
            Expr::Str(lit) => lit.walk_spans(visit),
            Expr::Date(date) => date.walk_spans(visit),
            Expr::Bool { span, .. } | Expr::Null { span } => visit(span),
            Expr::Ident(word) => word.walk_spans(visit),
            Expr::Node(node) => node.walk_spans(visit),
            Expr::Param(param) => param.walk_spans(visit),
            Expr::Call { name, args, span } => {
                name.walk_spans(visit);
                walk2(args, span, visit);
            }
            Expr::Unary { operand, span, .. } => walk2(operand, span, visit),
            Expr::Logical { operands, span, .. } => walk2(operands, span, visit),
            Expr::Binary { lhs, rhs, span, .. } => {
                lhs.walk_spans(visit);
                walk2(rhs, span, visit);
            }
            Expr::In {
                operand,
                list,
                span,
                ..
            } => {
                operand.walk_spans(visit);
                walk2(list, span, visit);
            }
        }
    }
}

impl WalkSpans for Pattern {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.start.walk_spans(visit);
        walk2(&mut self.steps, &mut self.span, visit);
    }
}

impl WalkSpans for PatternStep {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.edge.walk_spans(visit);
        walk2(&mut self.node, &mut self.span, visit);
    }
}

impl WalkSpans for NodePattern {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.var.walk_spans(visit);
        self.kind.walk_spans(visit);
        walk2(&mut self.props, &mut self.span, visit);
    }
}

impl WalkSpans for PropConstraint {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.key.walk_spans(visit);
        walk2(&mut self.value, &mut self.span, visit);
    }
}

impl WalkSpans for EdgePattern {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        self.var.walk_spans(visit);
        self.kinds.walk_spans(visit);
        walk2(&mut self.hops, &mut self.span, visit);
    }
}

impl WalkSpans for Meta {
    fn walk_spans(&mut self, visit: &mut dyn FnMut(&mut Span)) {
        match &mut self.command {
            MetaCommand::Help { topic } => topic.walk_spans(visit),
            MetaCommand::Load { path: word } | MetaCommand::Sources { id: word } => {
                word.walk_spans(visit)
            }
            MetaCommand::Format { format } => format.walk_spans(visit),
            MetaCommand::Timing { on }
            | MetaCommand::Unsourced { on }
            | MetaCommand::Explain { on }
            | MetaCommand::Tree { on } => on.walk_spans(visit),
            MetaCommand::MaxRows { count } => count.walk_spans(visit),
            MetaCommand::Param { name, value } => {
                name.walk_spans(visit);
                value.walk_spans(visit);
            }
            MetaCommand::Schema | MetaCommand::Kinds | MetaCommand::Quit => {}
        }
        visit(&mut self.span);
    }
}
