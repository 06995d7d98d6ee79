//! Expressions: fields, literals, operators and functions, evaluated for
//! one row (and, in `match`, its variable bindings).

use std::cmp::Ordering;

use crate::analysis::{self, Context, ExposureTarget, Supplier};
use crate::model::{EdgeIndex, EdgeKind, NodeIndex, NodeKind, PartialDate, Value};
use crate::syntax::{BinaryOp, Expr, LogicalOp, Span, UnaryOp, Word};

use super::error::{EvalError, EvalErrorKind};
use super::names::{self, Params};
use super::result::{Cell, Row};

/// A `match` variable's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Node(NodeIndex),
    Edge(EdgeIndex),
}

/// Everything an expression may refer to.
pub struct Scope<'a, 'g> {
    pub ctx: &'a Context<'g>,
    pub params: &'a Params,
    pub columns: &'a [String],
    pub row: Option<&'a Row>,
    pub bindings: &'a [(String, Binding)],
}

/// Node fields every node has, besides its props.
pub const NODE_FIELDS: &[&str] = &["id", "name", "kind", "aliases"];

impl Scope<'_, '_> {
    pub fn eval(&self, expr: &Expr) -> Result<Cell, EvalError> {
        match expr {
            Expr::Number(number) => Ok(Cell::Num(number.value)),
            Expr::Str(text) => Ok(Cell::Text(text.value.clone())),
            Expr::Date(lit) => names::date_lit(lit).map(Cell::Date),
            Expr::Bool { value, .. } => Ok(Cell::Bool(*value)),
            Expr::Null { .. } => Ok(Cell::Null),
            Expr::Ident(word) => self.ident(word),
            Expr::Node(node_ref) => {
                names::resolve_ref(self.ctx.graph, node_ref, &[]).map(Cell::Node)
            }
            Expr::Param(param) => names::param_text(self.params, param).map(param_cell),
            Expr::Call { name, args, span } => {
                // A column named by the call's text (`count(i)` after
                // `return m.name, count(i)`) is that column. Only a column
                // whose name ends in `)` can be one: the call is not printed
                // for each row of a table without such columns.
                let call_columns =
                    self.row.is_some() && self.columns.iter().any(|column| column.ends_with(')'));
                if call_columns && let Some(cell) = self.column_named(&expr.to_string()) {
                    return Ok(cell);
                }
                self.call(name, args, *span)
            }
            Expr::Unary { op, operand, span } => self.unary(*op, operand, *span),
            Expr::Logical { op, operands, .. } => self.logical(*op, operands),
            Expr::Binary { op, lhs, rhs, span } => self.binary(*op, lhs, rhs, *span),
            Expr::In {
                operand,
                list,
                negated,
                span,
            } => {
                let value = self.eval(operand)?;
                let mut found = false;
                for item in list {
                    let item = self.eval(item)?;
                    found |= comparison_holds(self, BinaryOp::Eq, &value, &item, *span)?;
                }
                Ok(Cell::Bool(found != *negated))
            }
        }
    }

    /// A row's cell as expressions see it (a lazy one resolved).
    fn row_cell(&self, row: &Row, column: usize) -> Cell {
        row.cells
            .get(column)
            .map_or(Cell::Null, |cell| cell.resolved(self.ctx.graph))
    }

    fn column_named(&self, text: &str) -> Option<Cell> {
        let row = self.row?;
        let column = self.columns.iter().position(|c| c == text)?;
        Some(self.row_cell(row, column))
    }

    /// Whether a condition holds (null and false do not).
    pub fn holds(&self, expr: &Expr) -> Result<bool, EvalError> {
        Ok(truthy(&self.eval(expr)?))
    }

    fn ident(&self, word: &Word) -> Result<Cell, EvalError> {
        self.ident_or(word, |scope, word| scope.unknown_field(word))
    }

    /// A bare word's value; `unknown` builds the error when it names nothing.
    fn ident_or(
        &self,
        word: &Word,
        unknown: fn(&Self, &Word) -> EvalError,
    ) -> Result<Cell, EvalError> {
        let name = word.value.as_str();
        if let (Some(row), Some(column)) = (
            self.row,
            self.columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name)),
        ) {
            return Ok(self.row_cell(row, column));
        }
        if let Some((var, field)) = name.split_once('.') {
            return match self.binding(var) {
                Some(Binding::Node(node_idx)) => self.node_field(node_idx, field, word.span),
                Some(Binding::Edge(edge_idx)) => self.edge_field(edge_idx, field, word.span),
                None => Err(unknown(self, word)),
            };
        }
        if let Some(binding) = self.binding(name) {
            return Ok(match binding {
                Binding::Node(node_idx) => Cell::Node(node_idx),
                Binding::Edge(edge_idx) => {
                    Cell::Text(self.ctx.graph.edge(edge_idx).kind.to_string())
                }
            });
        }
        if let (Some(row), Some(column)) = (
            self.row,
            self.columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name)),
        ) {
            return Ok(self.row_cell(row, column));
        }
        if let Some(node_idx) = self.row.and_then(|row| row.node) {
            if let Ok(cell) = self.node_field(node_idx, name, word.span) {
                return Ok(cell);
            }
        }
        if NodeKind::parse(name).is_some() || EdgeKind::parse(name).is_some() {
            return Ok(Cell::Text(name.to_ascii_lowercase()));
        }
        if is_stage_word(name) {
            // A stage word is never looked up as a node (with suggestions)
            // on every row: it is the stage rule's text argument.
            return Err(unknown(self, word));
        }
        match self.ctx.graph.resolve(name, &[]) {
            Ok(node_idx) => Ok(Cell::Node(node_idx)),
            Err(_) => Err(unknown(self, word)),
        }
    }

    fn binding(&self, name: &str) -> Option<Binding> {
        self.bindings
            .iter()
            .find(|(var, _)| var == name)
            .map(|(_, binding)| *binding)
    }

    /// `name`, `kind`, `id`, `aliases` or a property; a property known in
    /// the graph but absent on this node is null.
    pub fn node_field(
        &self,
        node_idx: NodeIndex,
        field: &str,
        span: Span,
    ) -> Result<Cell, EvalError> {
        let graph = self.ctx.graph;
        let node = graph.node(node_idx);
        Ok(match field.to_ascii_lowercase().as_str() {
            "id" => Cell::Text(node.id.clone()),
            "name" => Cell::Text(node.name.clone()),
            "kind" => Cell::Text(node.kind.to_string()),
            "aliases" => Cell::List(
                node.aliases
                    .iter()
                    .map(|alias| Cell::Text(alias.clone()))
                    .collect(),
            ),
            // A policy's status is always computed for the evaluation day
            // (a stored `status` prop would not follow `as of`).
            "status" if node.kind == NodeKind::Policy => {
                Cell::Text(self.ctx.policy_status(node_idx).as_str().to_string())
            }
            _ => match graph.node_prop(node_idx, field) {
                Some(value) => value_cell(value),
                None if graph.prop_keys().contains(&field) => Cell::Null,
                None => {
                    return Err(EvalError::new(
                        EvalErrorKind::UnknownField,
                        span,
                        format!("no field `{field}`"),
                    ));
                }
            },
        })
    }

    fn edge_field(&self, edge_idx: EdgeIndex, field: &str, span: Span) -> Result<Cell, EvalError> {
        let graph = self.ctx.graph;
        let (from, to) = graph.endpoints(edge_idx);
        Ok(match field {
            "kind" => Cell::Text(graph.edge(edge_idx).kind.to_string()),
            "from" => Cell::Node(from),
            "to" => Cell::Node(to),
            _ => match graph.edge_prop(edge_idx, field) {
                Some(value) => value_cell(value),
                None if graph.prop_keys().contains(&field) => Cell::Null,
                None => {
                    return Err(EvalError::new(
                        EvalErrorKind::UnknownField,
                        span,
                        format!("no edge field `{field}`"),
                    ));
                }
            },
        })
    }

    /// The cheap "unknown" a function argument turns into text, without
    /// the suggestions [`Scope::unknown_field`] searches for.
    fn unknown_word(&self, word: &Word) -> EvalError {
        EvalError::new(
            EvalErrorKind::UnknownField,
            word.span,
            format!("`{}` is not a field, a variable or a node", word.value),
        )
    }

    fn unknown_field(&self, word: &Word) -> EvalError {
        let graph = self.ctx.graph;
        let mut known: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        known.extend(NODE_FIELDS);
        known.extend(graph.prop_keys());
        known.extend(self.bindings.iter().map(|(var, _)| var.as_str()));
        let hint = crate::model::closest(&word.value, known.iter().copied())
            .map(|close| format!("did you mean `{close}`?"));
        let hint = hint.or_else(|| {
            graph
                .suggest(&word.value, &[])
                .first()
                .map(|close| format!("did you mean `{close}`?"))
        });
        EvalError::new(
            EvalErrorKind::UnknownField,
            word.span,
            format!("`{}` is not a field, a variable or a node", word.value),
        )
        .with_hint(hint)
    }

    fn unary(&self, op: UnaryOp, operand: &Expr, span: Span) -> Result<Cell, EvalError> {
        let value = self.eval(operand)?;
        match (op, value) {
            (_, Cell::Null) => Ok(Cell::Null),
            (UnaryOp::Not, value) => Ok(Cell::Bool(!truthy(&value))),
            (UnaryOp::Neg, value) => match value.as_f64() {
                Some(number) => Ok(Cell::Num(-number)),
                None => Err(type_error(
                    span,
                    format!("cannot negate a {}", value.type_name()),
                )),
            },
        }
    }

    fn logical(&self, op: LogicalOp, operands: &[Expr]) -> Result<Cell, EvalError> {
        for operand in operands {
            let holds = self.holds(operand)?;
            match (op, holds) {
                (LogicalOp::And, false) => return Ok(Cell::Bool(false)),
                (LogicalOp::Or, true) => return Ok(Cell::Bool(true)),
                _ => {}
            }
        }
        Ok(Cell::Bool(op == LogicalOp::And))
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span) -> Result<Cell, EvalError> {
        let (left, right) = (self.eval(lhs)?, self.eval(rhs)?);
        match op {
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => Ok(Cell::Bool(comparison_holds(self, op, &left, &right, span)?)),
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                arithmetic(op, &left, &right, span)
            }
        }
    }

    fn call(&self, name: &Word, args: &[Expr], span: Span) -> Result<Cell, EvalError> {
        let values = args
            .iter()
            .map(|arg| self.arg(arg))
            .collect::<Result<Vec<_>, _>>()?;
        super::functions::call(self, &name.value, &values, span)
    }

    /// A function argument: an unknown bare word is taken as text (`refining`).
    /// The word is evaluated without searching for suggestions, which would
    /// be thrown away, on every row.
    fn arg(&self, expr: &Expr) -> Result<Cell, EvalError> {
        let value = match expr {
            Expr::Ident(word) => self.ident_or(word, Self::unknown_word),
            other => self.eval(other),
        };
        match (expr, value) {
            (Expr::Ident(word), Err(err))
                if err.kind == EvalErrorKind::UnknownField && !word.value.contains('.') =>
            {
                Ok(Cell::Text(word.value.clone()))
            }
            (_, result) => result,
        }
    }

    /// The row's node, for implicit arguments (`share(China)` in `list`).
    pub fn row_node(&self) -> Option<NodeIndex> {
        self.row.and_then(|row| row.node)
    }

    pub fn exposure_of(&self, target: NodeIndex, supplier: NodeIndex) -> Option<f64> {
        let graph = self.ctx.graph;
        let target = match graph.node(target).kind {
            NodeKind::Country => ExposureTarget::Country(target),
            NodeKind::Industry => ExposureTarget::Industry(target),
            _ => return None,
        };
        let supplier = match graph.node(supplier).kind {
            NodeKind::Country => Supplier::Country(supplier),
            NodeKind::Policy => Supplier::Policy(supplier),
            _ => return None,
        };
        let report = analysis::exposure(self.ctx, target, supplier).ok()?;
        Some(report.rows.iter().map(|row| row.score).fold(0.0, f64::max))
    }
}

pub fn truthy(cell: &Cell) -> bool {
    match cell {
        Cell::Null => false,
        Cell::Bool(flag) => *flag,
        Cell::Num(number) | Cell::Score(number) => *number != 0.0,
        Cell::Text(text) => !text.is_empty(),
        Cell::List(items) => !items.is_empty(),
        Cell::Record(fields) => !fields.is_empty(),
        Cell::Summary { text, .. } => !text.is_empty(),
        Cell::Date(_) | Cell::Node(_) => true,
        // Expressions see rows' lazy cells resolved (`Scope::row_cell`).
        Cell::Lazy(_) => true,
    }
}

pub fn value_cell(value: &Value) -> Cell {
    match value {
        Value::Number(number) => Cell::Num(*number),
        Value::Bool(flag) => Cell::Bool(*flag),
        Value::Str(text) => Cell::Text(text.to_string()),
        Value::Date(date) => Cell::Date(*date),
    }
}

/// A parameter's text as a value: a number, a date, a bool, else text.
fn param_cell(text: &str) -> Cell {
    let text = text.trim();
    if let Ok(number) = text.parse::<f64>() {
        return Cell::Num(number);
    }
    if let Some(number) = text.strip_suffix('%').and_then(|n| n.parse::<f64>().ok()) {
        return Cell::Num(number / 100.0);
    }
    match Value::from_text(text) {
        Ok(Value::Date(date)) => Cell::Date(date),
        _ => match text {
            "true" => Cell::Bool(true),
            "false" => Cell::Bool(false),
            _ => Cell::Text(text.to_string()),
        },
    }
}

fn type_error(span: Span, message: String) -> EvalError {
    EvalError::new(EvalErrorKind::TypeMismatch, span, message)
}

/// Whether `left OP right` holds for a comparison operator. Null on either
/// side never holds (not even `!=`). A date is a period (`2025`, `2025-04`,
/// a day), and so is a whole number beside a date (a year): the comparison
/// holds when it holds for at least one day of each period, so
/// `2025-04 >= 2025-04-15` and `2025-04 < 2025-04-15` both hold, `=` means the
/// periods share a day and `!=` that they share none (docs/LANGUAGE.md,
/// "Partial dates").
pub fn comparison_holds(
    scope: &Scope,
    op: BinaryOp,
    left: &Cell,
    right: &Cell,
    span: Span,
) -> Result<bool, EvalError> {
    if let Some((a, b)) = as_periods(left, right, span)? {
        return Ok(period_holds(op, a, b));
    }
    if let (Cell::Date(_), Cell::Text(text)) | (Cell::Text(text), Cell::Date(_)) = (left, right) {
        if PartialDate::looks_like_date(text) {
            return Err(type_error(
                span,
                format!("cannot compare a date with the string \"{text}\""),
            )
            .with_hint(Some(format!("write the date without quotes: {text}"))));
        }
    }
    let ordering = compare(scope, left, right, span)?;
    Ok(ordering.is_some_and(|ordering| match op {
        BinaryOp::Eq => ordering == Ordering::Equal,
        BinaryOp::Ne => ordering != Ordering::Equal,
        BinaryOp::Lt => ordering == Ordering::Less,
        BinaryOp::Le => ordering != Ordering::Greater,
        BinaryOp::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }))
}

/// The one rule for comparing periods: true when some day of `a` and some
/// day of `b` satisfy `op` (`!=`: no day is shared).
pub fn period_holds(op: BinaryOp, a: PartialDate, b: PartialDate) -> bool {
    let overlap = a.first_day() <= b.last_day() && b.first_day() <= a.last_day();
    match op {
        BinaryOp::Eq => overlap,
        BinaryOp::Ne => !overlap,
        BinaryOp::Lt => a.first_day() < b.last_day(),
        BinaryOp::Le => a.first_day() <= b.last_day(),
        BinaryOp::Gt => a.last_day() > b.first_day(),
        _ => a.last_day() >= b.first_day(),
    }
}

/// Both sides as periods when one is a date and the other a date or a
/// year number; `None` otherwise (null included).
fn as_periods(
    left: &Cell,
    right: &Cell,
    span: Span,
) -> Result<Option<(PartialDate, PartialDate)>, EvalError> {
    let year = |cell: &Cell| -> Result<PartialDate, EvalError> {
        let number = cell.as_f64().unwrap_or(f64::NAN);
        let whole = number.fract() == 0.0 && (1.0..=9999.0).contains(&number);
        whole
            .then(|| PartialDate::year_only(number as i32))
            .flatten()
            .ok_or_else(|| {
                type_error(
                    span,
                    format!(
                        "cannot compare a date with the number {}: a year is a whole number from 1 to 9999",
                        crate::model::format_number(number)
                    ),
                )
            })
    };
    Ok(match (left, right) {
        (Cell::Date(a), Cell::Date(b)) => Some((*a, *b)),
        (Cell::Date(a), other) if other.as_f64().is_some() => Some((*a, year(other)?)),
        (other, Cell::Date(b)) if other.as_f64().is_some() => Some((year(other)?, *b)),
        _ => None,
    })
}

/// Orders two values; `None` when either is null. Mismatched types are an
/// error. Dates order by their first day, the longer period first on ties
/// (`2025` < `2025-01` < `2025-01-01`): the sort order.
pub fn compare(
    scope: &Scope,
    left: &Cell,
    right: &Cell,
    span: Span,
) -> Result<Option<Ordering>, EvalError> {
    let graph = scope.ctx.graph;
    let text_eq = |a: &str, b: &str| {
        if a.eq_ignore_ascii_case(b) {
            Ordering::Equal
        } else {
            a.to_lowercase().cmp(&b.to_lowercase())
        }
    };
    // Summaries compare by the text tables show.
    if let Cell::Summary { text, .. } = left {
        return compare(scope, &Cell::Text(text.clone()), right, span);
    }
    if let Cell::Summary { text, .. } = right {
        return compare(scope, left, &Cell::Text(text.clone()), span);
    }
    Ok(Some(match (left, right) {
        (Cell::Null, _) | (_, Cell::Null) => return Ok(None),
        (a, b) if a.as_f64().is_some() && b.as_f64().is_some() => a
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&b.as_f64().unwrap_or(0.0)),
        (Cell::Date(a), Cell::Date(b)) => a.cmp(b),
        (Cell::Date(date), other) | (other, Cell::Date(date)) if other.as_f64().is_some() => {
            let year = f64::from(date.year());
            let ordering = year.total_cmp(&other.as_f64().unwrap_or(0.0));
            if matches!(left, Cell::Date(_)) {
                ordering
            } else {
                ordering.reverse()
            }
        }
        (Cell::Text(a), Cell::Text(b)) => text_eq(a, b),
        (Cell::Bool(a), Cell::Bool(b)) => a.cmp(b),
        (Cell::Node(a), Cell::Node(b)) => graph.node(*a).id.cmp(&graph.node(*b).id),
        (Cell::Node(node_idx), Cell::Text(text)) | (Cell::Text(text), Cell::Node(node_idx)) => {
            let node = graph.node(*node_idx);
            let names = std::iter::once(&node.id)
                .chain(std::iter::once(&node.name))
                .chain(node.aliases.iter());
            if names.clone().any(|name| name.eq_ignore_ascii_case(text)) {
                Ordering::Equal
            } else {
                text_eq(&node.name, text)
            }
        }
        (Cell::List(items), other) | (other, Cell::List(items)) => {
            let mut found = false;
            for item in items {
                found |= compare(scope, item, other, span)? == Some(Ordering::Equal);
            }
            if found {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        (a, b) => {
            return Err(type_error(
                span,
                format!(
                    "cannot compare a {} with a {}",
                    a.type_name(),
                    b.type_name()
                ),
            ));
        }
    }))
}

fn arithmetic(op: BinaryOp, left: &Cell, right: &Cell, span: Span) -> Result<Cell, EvalError> {
    if matches!(left, Cell::Null) || matches!(right, Cell::Null) {
        return Ok(Cell::Null);
    }
    let (Some(a), Some(b)) = (left.as_f64(), right.as_f64()) else {
        return Err(type_error(
            span,
            format!(
                "arithmetic needs numbers, found a {} and a {}",
                left.type_name(),
                right.type_name()
            ),
        ));
    };
    Ok(Cell::Num(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        _ if b == 0.0 => return Ok(Cell::Null),
        _ => a / b,
    }))
}

/// A bare stage word (`refining`), which names no node.
fn is_stage_word(name: &str) -> bool {
    crate::analysis::STAGE_ORDER
        .iter()
        .any(|stage| stage.eq_ignore_ascii_case(name))
}
