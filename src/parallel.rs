//! Work over a list of items on both (all) cores, in the items' order:
//! an exposure answer's rows (their evidence reads the graph alone), the
//! node ranges of the neighbour index, the halves of a big CSV file's
//! check. A worker's panic (a bug) is raised again on the calling thread.

use std::num::NonZeroUsize;

/// Items per thread below which a thread costs more than it saves.
pub(crate) const ITEMS_PER_WORKER: usize = 128;

/// `build` over `items`, in their order, on up to one thread per core
/// (one thread for fewer than 2 × [`ITEMS_PER_WORKER`] items).
pub(crate) fn map_in_parallel<T: Sync, U: Send>(
    items: &[T],
    build: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    map_on(cores.min(items.len() / ITEMS_PER_WORKER), items, build)
}

/// `build` over `items` on `workers` threads (this one among them), each
/// a run of consecutive items; the results in the items' order.
pub(crate) fn map_on<T: Sync, U: Send>(
    workers: usize,
    items: &[T],
    build: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    if workers <= 1 || items.is_empty() {
        return items.iter().map(&build).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let build = &build;
    let mut parts = items.chunks(chunk);
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let others: Vec<_> = parts
            .map(|part| scope.spawn(move || part.iter().map(build).collect::<Vec<U>>()))
            .collect();
        let mut built = Vec::with_capacity(items.len());
        built.extend(first.iter().map(build));
        for other in others {
            match other.join() {
                Ok(part) => built.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        built
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_give_the_sequential_answer_in_order() {
        let items: Vec<u64> = (0..1000).map(|item| item * 7919 % 1009).collect();
        let square = |item: &u64| format!("{}", item * item);
        let sequential: Vec<String> = items.iter().map(square).collect();
        for workers in [2, 3, 7] {
            assert_eq!(map_on(workers, &items, square), sequential, "{workers}");
        }
        assert_eq!(map_in_parallel(&items, square), sequential);
        assert!(map_on(2, &[] as &[u64], square).is_empty());
    }
}
