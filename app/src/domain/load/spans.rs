//! Where things are in a TOML file: byte offsets to lines, and an owned tree of key and element lines so a
//! validation [`Site`](crate::domain::validate::Site) can be turned into a line after parsing is done.

use toml::de::{DeValue, Error};
use toml::Spanned;

use crate::domain::validate::PathSeg;

/// Line starts of one file, to turn byte offsets into 1-based lines.
pub(super) struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines(starts)
    }

    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset).max(1)
    }

    /// The line of a TOML error, or 1 when it has no position.
    pub fn of_error(&self, e: &Error) -> usize {
        e.span().map_or(1, |s| self.line(s.start))
    }
}

/// The line of a value, and of everything inside it.
#[derive(Debug)]
pub(super) struct Node {
    pub line: usize,
    kids: Kids,
}

#[derive(Debug)]
enum Kids {
    Leaf,
    Table(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Node {
    /// The tree of a value; a table entry takes the line of its key.
    pub fn of(value: &Spanned<DeValue<'_>>, line: usize, lines: &Lines) -> Node {
        let kids = match value.get_ref() {
            DeValue::Table(table) => Kids::Table(
                table
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.get_ref().to_string(),
                            Node::of(v, lines.line(k.span().start), lines),
                        )
                    })
                    .collect(),
            ),
            DeValue::Array(array) => Kids::Array(
                array
                    .iter()
                    .map(|e| Node::of(e, lines.line(e.span().start), lines))
                    .collect(),
            ),
            _ => Kids::Leaf,
        };
        Node { line, kids }
    }

    /// The line of the deepest node the path reaches (a missing key points at its table).
    pub fn line_of(&self, path: &[PathSeg]) -> usize {
        let mut node = self;
        for seg in path {
            let next = match (seg, &node.kids) {
                (PathSeg::Key(k), Kids::Table(entries)) => {
                    entries.iter().find(|(name, _)| name == k).map(|(_, n)| n)
                }
                (PathSeg::Index(i), Kids::Array(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.line
    }
}
