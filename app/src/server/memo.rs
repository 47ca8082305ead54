//! Answers kept in memory between requests: the sessions, the case pages' rows, each viewer's case status, the
//! demo clock and catalog searches, read from SQLite once and then served without a database round trip until
//! something they were read from changes.
//!
//! Only on SQLite, where this process is the database's one writer: every write that changes what an answer was
//! read from says so ([`Changed`], through `Db::changed`) after it commits, and the answer is read again. On
//! PostgreSQL several instances share the database; none could know of another's writes, so every read goes to
//! the database there.
//!
//! An answer is stamped when its read *begins*. A change recorded after that stamp voids it, even if the answer is
//! put after the change (a read that began before a write committed may have seen the old rows). Answers also age
//! out after [`MAX_AGE`], which bounds what a write from outside this process (an operator's SQL shell) can leave
//! stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The memos a database keeps.
#[derive(Debug)]
pub struct Memos {
    /// By the session's stored id.
    pub sessions: Memo<String, super::session::Remembered>,
    /// A case page's rows, by case number.
    pub cases: Memo<String, std::sync::Arc<super::cases::CaseRows>>,
    /// What the case page's live poll asks (`read_case_status`): the state and the fingerprint of the page one
    /// viewer sees, by case number, viewer's account and language.
    pub statuses:
        Memo<(String, i64, crate::domain::text::Lang), crate::api::cases::CaseStatusAnswer>,
    /// The demo clock's offset in days.
    pub clock: Memo<(), i64>,
    /// What the search index found, by normalized query. The index changes only when it is rebuilt (at start-up).
    pub searches: Memo<String, std::sync::Arc<super::search_index::Found>>,
}

impl Default for Memos {
    /// A session is a few hundred bytes; a case's rows with its history a few to some tens of KB, so 2,000 cases
    /// stay within tens of MB; a search's hits at most 200 ids (some KB).
    fn default() -> Self {
        Memos {
            sessions: Memo::new(20_000),
            cases: Memo::new(2_000),
            statuses: Memo::new(20_000),
            clock: Memo::new(1),
            searches: Memo::new(1_000),
        }
    }
}

impl Memos {
    pub fn changed(&self, what: &Changed) {
        self.sessions.changed(what);
        self.cases.changed(what);
        self.statuses.changed(what);
        self.clock.changed(what);
        self.searches.changed(what);
    }
}

/// What a write changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Changed {
    /// A case, its tasks or its history, by the case's row id.
    Case(i64),
    /// An account's role, department, password or standing (its sessions end or change).
    Account(i64),
    /// One session, by its stored id (signed out).
    Session(String),
    /// The demo clock's offset.
    Clock,
    /// The search index, rebuilt from another catalog.
    SearchIndex,
}

/// The longest an answer is kept, whatever happens.
pub const MAX_AGE: Duration = Duration::from_secs(30);

/// How many changed things are remembered; past it, the record is cleared and everything kept before is void.
const RECORD: usize = 20_000;

/// When a read began (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(u64);

/// One kind of answer, by key.
pub struct Memo<K, V> {
    inner: Mutex<Inner<K, V>>,
    max_age: Duration,
    /// How many answers it keeps; past it, an arbitrary one makes room.
    capacity: usize,
}

struct Inner<K, V> {
    /// How many changes have been recorded: the stamp a read beginning now gets.
    now: u64,
    /// Answers stamped before this are void: the record of changes was cleared then.
    floor: u64,
    /// The stamp of the last change to each thing.
    changed: HashMap<Changed, u64>,
    entries: HashMap<K, Entry<V>>,
}

struct Entry<V> {
    value: V,
    stamp: u64,
    read_at: Instant,
    /// What the answer was read from.
    from: Vec<Changed>,
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    pub fn new(capacity: usize) -> Memo<K, V> {
        Memo::with_max_age(capacity, MAX_AGE)
    }

    pub fn with_max_age(capacity: usize, max_age: Duration) -> Memo<K, V> {
        Memo {
            capacity,
            inner: Mutex::new(Inner {
                now: 0,
                floor: 0,
                changed: HashMap::new(),
                entries: HashMap::new(),
            }),
            max_age,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        // A panic while the lock was held leaves nothing half-done that matters: every field is replaced whole.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Call before reading what will be put.
    pub fn begin(&self) -> Stamp {
        Stamp(self.lock().now)
    }

    /// The answer for `key`, if one is kept and nothing it was read from has changed since its read began.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let inner = self.lock();
        let entry = inner.entries.get(key)?;
        let fresh =
            entry.read_at.elapsed() < self.max_age && inner.still(Stamp(entry.stamp), &entry.from);
        fresh.then(|| entry.value.clone())
    }

    /// Keeps `value`, read from `from` by a read that began at `stamp`, unless one of them changed since.
    pub fn put(&self, key: K, value: V, from: Vec<Changed>, stamp: Stamp) {
        let mut inner = self.lock();
        if !inner.still(stamp, &from) {
            return;
        }
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            if let Some(any) = inner.entries.keys().next().cloned() {
                inner.entries.remove(&any);
            }
        }
        inner.entries.insert(
            key,
            Entry {
                value,
                stamp: stamp.0,
                read_at: Instant::now(),
                from,
            },
        );
    }

    /// Records a committed write: every answer read from `what` before now is void.
    pub fn changed(&self, what: &Changed) {
        let mut inner = self.lock();
        inner.now += 1;
        let now = inner.now;
        if inner.changed.len() >= RECORD && !inner.changed.contains_key(what) {
            // Forget the record and void everything read before it instead of letting it grow.
            inner.changed.clear();
            inner.entries.clear();
            inner.floor = now;
        }
        inner.changed.insert(what.clone(), now);
    }

    /// How many answers are kept (for logs and tests).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V> Inner<K, V> {
    /// Whether nothing in `from` changed after a read that began at `stamp`.
    fn still(&self, stamp: Stamp, from: &[Changed]) -> bool {
        stamp.0 >= self.floor
            && from
                .iter()
                .all(|what| self.changed.get(what).is_none_or(|&at| at <= stamp.0))
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo() -> Memo<&'static str, i32> {
        Memo::new(10)
    }

    #[test]
    fn an_answer_is_served_until_what_it_was_read_from_changes() {
        let m = memo();
        let stamp = m.begin();
        m.put("a", 1, vec![Changed::Case(1)], stamp);
        assert_eq!(m.get(&"a"), Some(1));
        m.changed(&Changed::Case(2));
        assert_eq!(m.get(&"a"), Some(1), "another case changed");
        m.changed(&Changed::Case(1));
        assert_eq!(m.get(&"a"), None);
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let m = memo();
        let stamp = m.begin();
        // The write commits and says so while the read is under way; the read may have seen the old rows.
        m.changed(&Changed::Account(7));
        m.put(
            "s",
            1,
            vec![Changed::Session("x".into()), Changed::Account(7)],
            stamp,
        );
        assert_eq!(m.get(&"s"), None);
        // Read again after the change: kept.
        let stamp = m.begin();
        m.put(
            "s",
            2,
            vec![Changed::Session("x".into()), Changed::Account(7)],
            stamp,
        );
        assert_eq!(m.get(&"s"), Some(2));
    }

    #[test]
    fn any_of_the_sources_voids_it() {
        let m = memo();
        let stamp = m.begin();
        let from = vec![Changed::Session("x".into()), Changed::Account(7)];
        m.put("s", 1, from.clone(), stamp);
        m.changed(&Changed::Session("y".into()));
        assert_eq!(m.get(&"s"), Some(1));
        m.changed(&Changed::Session("x".into()));
        assert_eq!(m.get(&"s"), None);
        let stamp = m.begin();
        m.put("s", 2, from, stamp);
        m.changed(&Changed::Account(7));
        assert_eq!(m.get(&"s"), None);
    }

    #[test]
    fn answers_age_out() {
        let m: Memo<&str, i32> = Memo::with_max_age(10, Duration::from_millis(20));
        m.put("a", 1, vec![Changed::Clock], m.begin());
        assert_eq!(m.get(&"a"), Some(1));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(m.get(&"a"), None);
    }

    #[test]
    fn a_full_record_of_changes_voids_everything_read_before_it_is_cleared() {
        let m = memo();
        let early = m.begin();
        m.put("kept", 1, vec![Changed::Clock], early);
        for id in 0..RECORD as i64 {
            m.changed(&Changed::Case(id));
        }
        assert_eq!(m.get(&"kept"), Some(1), "nothing it was read from changed");
        // One more distinct change clears the record; what it held can no longer be checked.
        m.changed(&Changed::Case(-1));
        assert_eq!(m.get(&"kept"), None);
        m.put("late", 2, vec![Changed::Case(5)], early);
        assert_eq!(
            m.get(&"late"),
            None,
            "a read that began before the clearing"
        );
        m.put("late", 3, vec![Changed::Case(5)], m.begin());
        assert_eq!(m.get(&"late"), Some(3));
    }

    #[test]
    fn a_full_memo_makes_room() {
        let m: Memo<i64, i64> = Memo::new(100);
        for k in 0..=100 {
            m.put(k, k, vec![Changed::Case(k)], m.begin());
        }
        assert_eq!(m.len(), 100);
        assert_eq!(m.get(&100), Some(100), "the newest is kept");
        m.put(100, -1, vec![Changed::Case(100)], m.begin());
        assert_eq!(m.len(), 100, "a key already kept takes no room");
    }
}
