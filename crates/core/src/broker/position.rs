//! A position in one data: size (signed) and average price, updated as backtrader's
//! `Position.update` does.

/// Size and average price of what is held in one data.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Position {
    pub size: f64,
    pub price: f64,
    /// Price of the last cash adjustment (futures marked to market); the fill price otherwise.
    pub adjbase: f64,
    /// Time (ms) of the last fill or credit-interest charge.
    pub datetime: f64,
}

/// How an update split into the part that opened (or increased) and the part that closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionUpdate {
    pub size: f64,
    pub price: f64,
    pub opened: f64,
    pub closed: f64,
}

impl Position {
    /// Applies a signed fill of `size` at `price` and says what was opened and closed.
    pub fn update(&mut self, size: f64, price: f64) -> PositionUpdate {
        let old = self.size;
        self.size += size;
        let (opened, closed);
        if self.size == 0.0 {
            opened = 0.0;
            closed = size;
            self.price = 0.0;
        } else if old == 0.0 {
            opened = size;
            closed = 0.0;
            self.price = price;
        } else if old > 0.0 {
            if size > 0.0 {
                opened = size;
                closed = 0.0;
                self.price = (self.price * old + size * price) / self.size;
            } else if self.size > 0.0 {
                opened = 0.0;
                closed = size;
            } else {
                // Reversed from long to short.
                opened = self.size;
                closed = -old;
                self.price = price;
            }
        } else if size < 0.0 {
            opened = size;
            closed = 0.0;
            self.price = (self.price * old + size * price) / self.size;
        } else if self.size < 0.0 {
            opened = 0.0;
            closed = size;
        } else {
            // Reversed from short to long.
            opened = self.size;
            closed = -old;
            self.price = price;
        }
        PositionUpdate { size: self.size, price: self.price, opened, closed }
    }

    /// What `update` would do, without doing it.
    pub fn pseudo_update(&self, size: f64, price: f64) -> PositionUpdate {
        let mut copy = *self;
        copy.update(size, price)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_increase_reduce_reverse_close() {
        let mut p = Position::default();
        assert_eq!(p.update(10.0, 100.0).opened, 10.0);
        let u = p.update(10.0, 110.0);
        assert_eq!((u.opened, u.price), (10.0, 105.0));
        let u = p.update(-5.0, 120.0);
        assert_eq!((u.closed, u.price, u.size), (-5.0, 105.0, 15.0));
        let u = p.update(-20.0, 90.0);
        assert_eq!((u.closed, u.opened, u.price, u.size), (-15.0, -5.0, 90.0, -5.0));
        let u = p.update(5.0, 80.0);
        assert_eq!((u.closed, u.size, u.price), (5.0, 0.0, 0.0));
    }
}
