//! Small graph algorithms over step indices, shared by the validator and the roadmap: cycles, stages (layers) and
//! the longest weighted path. A graph is given as `deps[i]`: the nodes node `i` waits for.

/// The groups of nodes that wait for each other (strongly connected components with a cycle), each sorted, in
/// order of their first node. Small graphs only (a theme has tens of steps), so this is the plain
/// reachability method.
pub fn cycles(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = deps.len();
    let reach: Vec<Vec<bool>> = (0..n).map(|i| reachable(deps, i)).collect();
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for i in 0..n {
        if seen[i] || !reach[i][i] {
            continue;
        }
        let group: Vec<usize> = (0..n).filter(|&j| reach[i][j] && reach[j][i]).collect();
        group.iter().for_each(|&j| seen[j] = true);
        out.push(group);
    }
    out
}

/// The nodes reachable from `start` by one or more edges.
fn reachable(deps: &[Vec<usize>], start: usize) -> Vec<bool> {
    let mut seen = vec![false; deps.len()];
    let mut stack: Vec<usize> = deps.get(start).cloned().unwrap_or_default();
    while let Some(i) = stack.pop() {
        if i < deps.len() && !seen[i] {
            seen[i] = true;
            stack.extend(deps[i].iter().copied());
        }
    }
    seen
}

/// Whether `target` is reachable from `start` by one or more edges.
pub fn waits_for(deps: &[Vec<usize>], start: usize, target: usize) -> bool {
    reachable(deps, start).get(target).copied().unwrap_or(false)
}

/// The stage of every node: 0 without dependencies, else one more than its latest dependency. `Err` with the
/// cycles if there are any.
pub fn stages(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<Vec<usize>>> {
    let found = cycles(deps);
    if !found.is_empty() {
        return Err(found);
    }
    let n = deps.len();
    let mut stage: Vec<Option<usize>> = vec![None; n];
    // Acyclic: each round settles at least one more node, so n rounds suffice.
    for _ in 0..n {
        for i in 0..n {
            if stage[i].is_some() {
                continue;
            }
            let of_deps: Option<Vec<usize>> = deps[i]
                .iter()
                .map(|&d| stage.get(d).copied().flatten())
                .collect();
            if let Some(of_deps) = of_deps {
                stage[i] = Some(of_deps.into_iter().max().map_or(0, |m| m + 1));
            }
        }
    }
    Ok(stage.into_iter().map(|s| s.unwrap_or(0)).collect())
}

/// The heaviest chain through an acyclic graph, counting each node's weight: `(total, nodes first to last)`.
/// Ties go to the earlier node, so the result is deterministic. `Err` with the cycles if there are any.
pub fn longest_path(
    deps: &[Vec<usize>],
    weight: &[u32],
) -> Result<(u32, Vec<usize>), Vec<Vec<usize>>> {
    let stage = stages(deps)?;
    let n = deps.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (stage[i], i));
    let mut best = vec![0u32; n];
    let mut via: Vec<Option<usize>> = vec![None; n];
    for &i in &order {
        let mut from = None;
        for &d in deps[i].iter().filter(|&&d| d < n) {
            if from.is_none_or(|f: usize| best[d] > best[f] || (best[d] == best[f] && d < f)) {
                from = Some(d);
            }
        }
        let w = weight.get(i).copied().unwrap_or(0);
        best[i] = from.map_or(0, |f| best[f]).saturating_add(w);
        via[i] = from;
    }
    let Some(mut end) = (0..n).reduce(|a, b| if best[b] > best[a] { b } else { a }) else {
        return Ok((0, Vec::new()));
    };
    let total = best[end];
    let mut path = vec![end];
    while let Some(prev) = via[end] {
        path.push(prev);
        end = prev;
    }
    path.reverse();
    Ok((total, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_cycle_once() {
        // 0 ← 1 ← 2 ← 1 (1 and 2 wait for each other); 3 waits for itself; 4 waits for 2 but is not in a cycle.
        let deps = vec![vec![], vec![0, 2], vec![1], vec![3], vec![2]];
        assert_eq!(cycles(&deps), vec![vec![1, 2], vec![3]]);
        assert!(stages(&deps).is_err());
        assert!(waits_for(&deps, 4, 0));
        assert!(!waits_for(&deps, 0, 4));
    }

    #[test]
    fn stages_put_parallel_steps_together() {
        // licence; food, fire, seal after licence; bank after licence and seal.
        let deps = vec![vec![], vec![0], vec![0], vec![0], vec![0, 3]];
        assert_eq!(stages(&deps), Ok(vec![0, 1, 1, 1, 2]));
    }

    #[test]
    fn longest_path_follows_the_heaviest_chain() {
        let deps = vec![vec![], vec![0], vec![0], vec![0], vec![0, 3]];
        let weight = [1, 10, 0, 0, 0];
        assert_eq!(longest_path(&deps, &weight), Ok((11, vec![0, 1])));
        // Ties go to the earlier node.
        assert_eq!(longest_path(&deps, &[0, 0, 0, 0, 0]), Ok((0, vec![0])));
        assert_eq!(longest_path(&[], &[]), Ok((0, vec![])));
        assert_eq!(
            longest_path(&[vec![1], vec![0]], &[1, 1]),
            Err(vec![vec![0, 1]])
        );
    }
}
