//! What a dependency waits for: the statuses an order goes through, the condition a child puts on
//! its parent, and what happens to the child when the parent can no longer meet it.

use std::fmt;

/// The status of an order as a broker reports it, in backtrader's order and numbering.
///
/// Any broker (the simulated one, or a live connection) reports in this vocabulary; the simulated
/// broker's [`crate::broker::Status`] is this same type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum OrderStatus {
    Created = 0,
    Submitted = 1,
    Accepted = 2,
    /// Partially filled.
    Partial = 3,
    /// Completely filled.
    Completed = 4,
    Canceled = 5,
    Expired = 6,
    /// Refused for lack of cash or margin.
    Margin = 7,
    Rejected = 8,
}

impl OrderStatus {
    /// All statuses, in numbering order.
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::Created,
        OrderStatus::Submitted,
        OrderStatus::Accepted,
        OrderStatus::Partial,
        OrderStatus::Completed,
        OrderStatus::Canceled,
        OrderStatus::Expired,
        OrderStatus::Margin,
        OrderStatus::Rejected,
    ];

    /// The status with backtrader's number `code`.
    pub fn from_code(code: u8) -> Option<OrderStatus> {
        OrderStatus::ALL.get(code as usize).copied()
    }

    /// Whether the order is finished: it will not change status again.
    pub fn is_terminal(self) -> bool {
        self.bit() & TERMINAL != 0
    }

    /// Whether the order can still fill (the opposite of [`OrderStatus::is_terminal`]).
    #[inline]
    pub fn alive(self) -> bool {
        !self.is_terminal()
    }

    /// The status as one bit of a set of statuses.
    #[inline]
    pub(crate) fn bit(self) -> u16 {
        1 << self as u8
    }

    /// Past participle used in messages: "parent order 12 was {it}".
    pub fn describe(self) -> &'static str {
        match self {
            OrderStatus::Created => "created",
            OrderStatus::Submitted => "submitted",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Partial => "partially filled",
            OrderStatus::Completed => "filled",
            OrderStatus::Canceled => "canceled",
            OrderStatus::Expired => "expired",
            OrderStatus::Margin => "refused for lack of margin",
            OrderStatus::Rejected => "rejected",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

const fn bits(list: &[OrderStatus]) -> u16 {
    let mut m = 0u16;
    let mut i = 0;
    while i < list.len() {
        m |= 1 << list[i] as u8;
        i += 1;
    }
    m
}

/// Statuses after which an order never changes again.
pub(crate) const TERMINAL: u16 = bits(&[
    OrderStatus::Completed,
    OrderStatus::Canceled,
    OrderStatus::Expired,
    OrderStatus::Margin,
    OrderStatus::Rejected,
]);

/// What a child waits for on one parent.
///
/// Each condition holds once the parent has reported one of a set of statuses. The progressive
/// conditions include every later stage of a live order, so a parent that skips a stage (a live
/// broker that reports Accepted without Submitted, an order filled whole at once) still meets
/// them. A condition fails when the parent reaches a final status outside its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Condition {
    /// Submitted, Accepted, Partial or Completed.
    Submitted = 0,
    /// Accepted, Partial or Completed.
    Accepted = 1,
    /// Some of the parent filled: Partial or Completed.
    PartiallyFilled = 2,
    /// Completed.
    Filled = 3,
    /// Canceled.
    Canceled = 4,
    /// The broker refused the parent: Rejected, or Margin (not enough cash).
    Rejected = 5,
    /// Expired.
    Expired = 6,
    /// Any final status: Completed, Canceled, Expired, Margin or Rejected. Never fails.
    AnyTerminal = 7,
}

impl Condition {
    pub const ALL: [Condition; 8] = [
        Condition::Submitted,
        Condition::Accepted,
        Condition::PartiallyFilled,
        Condition::Filled,
        Condition::Canceled,
        Condition::Rejected,
        Condition::Expired,
        Condition::AnyTerminal,
    ];

    /// The set of parent statuses that meet the condition, one bit per [`OrderStatus`].
    #[inline]
    pub(crate) fn statuses(self) -> u16 {
        SATISFIED_BY[self as usize]
    }

    /// Whether the parent reporting `status` meets the condition.
    #[inline]
    pub fn met_by(self, status: OrderStatus) -> bool {
        self.statuses() & status.bit() != 0
    }

    /// Whether the parent reporting `status` means the condition can never be met.
    #[inline]
    pub fn fails_on(self, status: OrderStatus) -> bool {
        !self.met_by(status) && status.is_terminal()
    }

    pub(crate) fn from_u8(v: u8) -> Condition {
        Condition::ALL[v as usize]
    }

    /// Phrase used in messages: "a dependency on order 12 being {it}".
    pub fn describe(self) -> &'static str {
        match self {
            Condition::Submitted => "submitted",
            Condition::Accepted => "accepted",
            Condition::PartiallyFilled => "at least partially filled",
            Condition::Filled => "filled",
            Condition::Canceled => "canceled",
            Condition::Rejected => "rejected",
            Condition::Expired => "expired",
            Condition::AnyTerminal => "finished",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

const SATISFIED_BY: [u16; 8] = {
    use OrderStatus as S;
    [
        bits(&[S::Submitted, S::Accepted, S::Partial, S::Completed]),
        bits(&[S::Accepted, S::Partial, S::Completed]),
        bits(&[S::Partial, S::Completed]),
        bits(&[S::Completed]),
        bits(&[S::Canceled]),
        bits(&[S::Rejected, S::Margin]),
        bits(&[S::Expired]),
        TERMINAL,
    ]
};

/// What happens to a waiting child when its parent can no longer meet the condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum Propagation {
    /// Cancel the child, and in turn every order that can no longer be released because of it.
    #[default]
    Cancel = 0,
    /// Leave the child waiting (until its timeout, if any, or until it is canceled or removed).
    KeepWaiting = 1,
}

/// One dependency as the caller describes it: the parent, the condition on it, what to do if it
/// fails, and an optional time limit.
///
/// ```
/// use ferrotrade_core::dag::{Condition, Dependency, Timeout};
/// let dep = Dependency::new(12, Condition::Filled).keep_waiting().timeout(Timeout::Bars(5));
/// assert_eq!(dep.parent, 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dependency {
    pub parent: u64,
    pub condition: Condition,
    pub on_parent_failure: Propagation,
    pub timeout: Option<super::timeout::Timeout>,
}

impl Dependency {
    /// Wait for `parent` to meet `condition`; cancel the child if it cannot; no time limit.
    pub fn new(parent: u64, condition: Condition) -> Dependency {
        Dependency { parent, condition, on_parent_failure: Propagation::Cancel, timeout: None }
    }

    /// Set what happens when the parent fails.
    pub fn on_parent_failure(mut self, propagation: Propagation) -> Dependency {
        self.on_parent_failure = propagation;
        self
    }

    /// Leave the child waiting when the parent fails.
    pub fn keep_waiting(self) -> Dependency {
        self.on_parent_failure(Propagation::KeepWaiting)
    }

    /// Cancel the child if the condition has not held within `timeout`.
    pub fn timeout(mut self, timeout: super::timeout::Timeout) -> Dependency {
        self.timeout = Some(timeout);
        self
    }
}
