//! Policy state as data: `status(p)` / `p.status` — announced, in force,
//! partly suspended, suspended, lifted, expired — on the evaluation day.
//!
//! Invariant: the state is computed from the policy's dates, its clauses'
//! dates and the context's scenarios; never stored.

use crate::model::{NodeIndex, PartialDate};

use super::context::Context;

/// A policy's state on a day, as `status(p)` and `p.status` give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyStatus {
    /// Dated after the evaluation day (only a named policy shows it; `list`
    /// and `match` leave it out).
    NotYetAnnounced,
    /// Announced, not yet effective.
    Announced,
    InForce,
    /// In force with at least one clause (`restricts` edge) suspended or lifted.
    PartlySuspended,
    /// Suspended (and not past `suspended_until`).
    Suspended,
    Lifted,
    /// Its `valid_to` has passed.
    Expired,
}

impl PolicyStatus {
    /// The words users see and compare with.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyStatus::NotYetAnnounced => "not yet announced",
            PolicyStatus::Announced => "announced",
            PolicyStatus::InForce => "in force",
            PolicyStatus::PartlySuspended => "partly suspended",
            PolicyStatus::Suspended => "suspended",
            PolicyStatus::Lifted => "lifted",
            PolicyStatus::Expired => "expired",
        }
    }
}

impl Context<'_> {
    /// A policy's state on the evaluation day (see [`PolicyStatus`]): a
    /// scenario decides first (`in force`, or `lifted`); then expiry (its
    /// `valid_to` passed, unless it was lifted first), not yet announced, lifted, suspended, in force
    /// (partly suspended when a clause is halted), else announced. Without
    /// `as of` the latest record counts, as for [`Context::policy_in_force`].
    pub fn policy_status(&self, policy_idx: NodeIndex) -> PolicyStatus {
        match self.scenario_policy_state(policy_idx) {
            Some(true) => return PolicyStatus::InForce,
            Some(false) => return PolicyStatus::Lifted,
            None => {}
        }
        let valid = self.graph.node(policy_idx).valid;
        let reached = |date: Option<PartialDate>| {
            date.is_some_and(|date| self.as_of.is_none_or(|day| date.first_day() <= day))
        };
        let expired = valid
            .to
            .is_some_and(|to| self.as_of.is_none_or(|day| to.last_day() < day));
        if expired && !reached(self.node_date(policy_idx, "lifted")) {
            return PolicyStatus::Expired;
        }
        let announced = self.node_date(policy_idx, "announced").or(valid.from);
        if announced.is_some_and(|date| !reached(Some(date))) {
            return PolicyStatus::NotYetAnnounced;
        }
        if self.policy_in_force(policy_idx) {
            return if self.halted_clauses(policy_idx).is_empty() {
                PolicyStatus::InForce
            } else {
                PolicyStatus::PartlySuspended
            };
        }
        if reached(self.node_date(policy_idx, "lifted")) {
            PolicyStatus::Lifted
        } else if reached(self.node_date(policy_idx, "suspended")) {
            PolicyStatus::Suspended
        } else {
            PolicyStatus::Announced
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, day};
    use super::super::scenario::Scenario;
    use super::*;

    #[test]
    fn status_follows_the_evaluation_day_and_scenarios() {
        let fixture = Fixture::new();
        let ban = fixture.node("cn-mofcom-2024-46");
        let at = |text: &str| {
            Context::new(&fixture.graph)
                .with_as_of(Some(day(text)))
                .policy_status(ban)
        };
        assert_eq!(at("2025-07-01"), PolicyStatus::InForce);
        assert_eq!(at("2025-11-09"), PolicyStatus::Suspended);
        assert_eq!(at("2026-11-28"), PolicyStatus::InForce);
        let lifted = Context::new(&fixture.graph).assuming(Scenario::Lifted(ban));
        assert_eq!(lifted.policy_status(ban), PolicyStatus::Lifted);
        assert_eq!(PolicyStatus::PartlySuspended.as_str(), "partly suspended");
    }
}
