//! Lexer and recursive-descent parser for the condition language (see the grammar in [`super`]).

use super::{CmpOp, ConditionError, Expr, Literal};

/// Deeper nesting than this is certainly a mistake, and refusing it keeps the recursion bounded.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Op(CmpOp),
    In,
    And,
    Or,
    Not,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Num(n) => n.to_string(),
            Tok::Op(op) => format!("`{}`", op.symbol()),
            Tok::In => "`in`".into(),
            Tok::And => "`&&`".into(),
            Tok::Or => "`||`".into(),
            Tok::Not => "`!`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::End => "the end".into(),
        }
    }
}

/// Tokens with their 1-based character column.
fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ConditionError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |i: usize, message: String| ConditionError {
        column: i + 1,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let next = chars.get(i + 1).copied();
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            ',' => Tok::Comma,
            '&' | '|' if next == Some(c) => {
                i += 1;
                if c == '&' {
                    Tok::And
                } else {
                    Tok::Or
                }
            }
            '&' | '|' => return Err(err(i, format!("expected `{c}{c}`"))),
            '=' if next == Some('=') => {
                i += 1;
                Tok::Op(CmpOp::Eq)
            }
            '=' => {
                return Err(err(
                    i,
                    "expected `==` (a single `=` is not a comparison)".into(),
                ))
            }
            '!' if next == Some('=') => {
                i += 1;
                Tok::Op(CmpOp::Ne)
            }
            '!' => Tok::Not,
            '<' | '>' => {
                let or_equal = next == Some('=');
                if or_equal {
                    i += 1;
                }
                Tok::Op(match (c, or_equal) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                })
            }
            '\'' => {
                let close = chars[i + 1..].iter().position(|&c| c == '\'');
                let Some(len) = close else {
                    return Err(err(
                        i,
                        "unterminated string: a closing `'` is missing".into(),
                    ));
                };
                let s: String = chars[i + 1..i + 1 + len].iter().collect();
                i += len + 1;
                Tok::Str(s)
            }
            '"' => {
                return Err(err(
                    i,
                    "strings are written in single quotes: 'value'".into(),
                ))
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let text: String = chars[i..j].iter().collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| err(i, format!("`{text}` is not a number")))?;
                i = j - 1;
                Tok::Num(n)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == '-')
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                i = j - 1;
                if word == "in" {
                    Tok::In
                } else {
                    Tok::Ident(word)
                }
            }
            other => return Err(err(i, format!("unexpected character `{other}`"))),
        };
        out.push((tok, start + 1));
        i += 1;
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
}

pub(super) fn parse(src: &str) -> Result<Expr, ConditionError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
    };
    let expr = p.or()?;
    match p.peek() {
        Tok::End => Ok(expr),
        other => Err(p.error(format!(
            "expected `&&`, `||` or the end, found {}",
            other.describe()
        ))),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        // `lex` always ends with `End`, and nothing advances past it.
        self.toks.get(self.pos).map_or(&Tok::End, |(t, _)| t)
    }

    fn column(&self) -> usize {
        self.toks.get(self.pos).map_or(1, |(_, c)| *c)
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if tok != Tok::End {
            self.pos += 1;
        }
        tok
    }

    fn error(&self, message: String) -> ConditionError {
        ConditionError {
            column: self.column(),
            message,
        }
    }

    fn expect(&mut self, want: Tok) -> Result<(), ConditionError> {
        if *self.peek() == want {
            self.bump();
            Ok(())
        } else {
            Err(self.error(format!(
                "expected {}, found {}",
                want.describe(),
                self.peek().describe()
            )))
        }
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.and()?];
        while *self.peek() == Tok::Or {
            self.bump();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.unary()?];
        while *self.peek() == Tok::And {
            self.bump();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("the condition is nested too deeply".into()));
        }
        let expr = match self.peek() {
            Tok::Not => {
                self.bump();
                Expr::Not(Box::new(self.unary()?))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.or()?;
                self.expect(Tok::RParen)?;
                inner
            }
            _ => self.comparison()?,
        };
        self.depth -= 1;
        Ok(expr)
    }

    fn comparison(&mut self) -> Result<Expr, ConditionError> {
        let question = match self.bump() {
            Tok::Ident(q) => q,
            other => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error(format!(
                    "expected a question id, found {}",
                    other.describe()
                )));
            }
        };
        match self.bump() {
            Tok::Op(op) => Ok(Expr::Cmp {
                question,
                op,
                value: self.literal()?,
            }),
            Tok::In => {
                self.expect(Tok::LBracket)?;
                let mut values = vec![self.literal()?];
                while *self.peek() == Tok::Comma {
                    self.bump();
                    if *self.peek() == Tok::RBracket {
                        break; // a trailing comma is fine
                    }
                    values.push(self.literal()?);
                }
                self.expect(Tok::RBracket)?;
                Ok(Expr::In { question, values })
            }
            other => {
                self.pos = self.pos.saturating_sub(1);
                Err(self.error(format!(
                    "expected a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=` or `in`) after `{question}`, found {}",
                    other.describe()
                )))
            }
        }
    }

    fn literal(&mut self) -> Result<Literal, ConditionError> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(Literal::Str(s))
            }
            Tok::Num(n) => {
                self.bump();
                Ok(Literal::Num(n))
            }
            Tok::Ident(word) => Err(self.error(format!(
                "expected a value, found `{word}` (quote text: '{word}')"
            ))),
            other => Err(self.error(format!(
                "expected a number or a quoted 'value', found {}",
                other.describe()
            ))),
        }
    }
}
