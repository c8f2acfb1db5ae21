use std::sync::mpsc;

use super::*;

const MS: Duration = Duration::from_millis(1);

/// Takes `n` jobs in turn, charging each `took`; returns their names.
fn take(queues: &mut Queues<&'static str>, n: usize, took: Duration) -> Vec<&'static str> {
    (0..n)
        .map(|_| {
            let (caller, job) = queues.next().expect("a job waiting");
            queues.done(&caller, took);
            job
        })
        .collect()
}

#[test]
fn a_caller_with_a_long_queue_does_not_hold_up_one_arriving_after() {
    let mut queues = Queues::default();
    for job in ["h1", "h2", "h3", "h4", "h5"] {
        queues.push("heavy", job);
    }
    assert_eq!(take(&mut queues, 1, 75 * MS), ["h1"]);
    queues.push("light", "l1");
    // First come, first served would make it wait for h2 to h5.
    assert_eq!(
        take(&mut queues, 5, 75 * MS),
        ["l1", "h2", "h3", "h4", "h5"]
    );
}

#[test]
fn callers_charged_alike_take_turns_in_the_order_their_requests_came() {
    let mut queues = Queues::default();
    for (caller, job) in [
        ("a", "a1"),
        ("a", "a2"),
        ("b", "b1"),
        ("a", "a3"),
        ("b", "b2"),
    ] {
        queues.push(caller, job);
    }
    assert_eq!(take(&mut queues, 5, MS), ["a1", "b1", "a2", "b2", "a3"]);
    assert!(queues.next().is_none());
}

#[test]
fn turns_follow_time_taken_not_requests() {
    // A caller whose requests take ten times longer gets about a tenth
    // as many of them through while both have work waiting.
    let mut queues = Queues::default();
    for _ in 0..40 {
        queues.push("videos", "video");
        queues.push("captions", "caption");
    }
    let mut taken = Vec::new();
    for _ in 0..33 {
        let (caller, job) = queues.next().expect("a job waiting");
        let took = if job == "video" { 10 * MS } else { MS };
        queues.done(&caller, took);
        taken.push(job);
    }
    let videos = taken.iter().filter(|j| **j == "video").count();
    assert_eq!((videos, 33 - videos), (3, 30), "{taken:?}");
}

#[test]
fn a_caller_back_from_idle_starts_level_with_the_others_not_ahead() {
    let mut queues = Queues::default();
    queues.push("a", "a1");
    queues.push("b", "b1");
    assert_eq!(take(&mut queues, 2, 10 * MS), ["a1", "b1"]);
    // b goes quiet while a has the threads to itself for ten requests.
    for _ in 0..10 {
        queues.push("a", "a");
        take(&mut queues, 1, 10 * MS);
    }
    for _ in 0..5 {
        queues.push("b", "b");
        queues.push("a", "a");
    }
    // Had b kept the 100 ms it did not use, it would take its five
    // requests before a got one.
    let order = take(&mut queues, 10, 10 * MS);
    assert!(order[..2].contains(&"a"), "{order:?}");
    assert_eq!(order.iter().filter(|j| **j == "a").count(), 5);
}

#[test]
fn a_job_running_counts_against_its_caller_before_it_is_charged() {
    // Two threads: while a's first request runs, the second thread takes
    // b's, though a's second request came first.
    let mut queues = Queues::default();
    queues.push("a", "a1");
    queues.push("a", "a2");
    queues.push("b", "b1");
    let (first, _) = queues.next().expect("a job");
    let (second, job) = queues.next().expect("a job");
    assert_eq!((&*first, &*second, job), ("a", "b", "b1"));
}

#[test]
fn callers_with_nothing_in_flight_are_forgotten() {
    let mut queues = Queues::default();
    for n in 0..100 {
        let caller = format!("caller {n}");
        queues.push(&caller, "once");
        take(&mut queues, 1, MS);
    }
    queues.push("busy", "waiting");
    assert_eq!(queues.callers.len(), 1);
}

/// One scoring thread, held by a job of `caller` until the returned
/// sender sends (or is dropped).
fn held_by(caller: &str) -> (Turns, mpsc::Sender<()>, tokio::sync::oneshot::Receiver<()>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let turns = Turns::new(pool);
    let (started_tx, started) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let held = turns.run(caller, move || {
        started_tx.send(()).expect("test waiting");
        let _ = released.recv();
    });
    started.recv().expect("the holding job started");
    (turns, release, held)
}

#[test]
fn on_the_scoring_threads_a_newcomer_runs_before_a_backlog() {
    let (turns, release, held) = held_by("heavy");
    let (ran_tx, ran) = mpsc::channel();
    let mut answers = Vec::new();
    for _ in 0..5 {
        let tx = ran_tx.clone();
        answers.push(turns.run("heavy", move || tx.send("heavy").expect("test listening")));
    }
    let tx = ran_tx.clone();
    answers.push(turns.run("light", move || tx.send("light").expect("test listening")));
    let now = turns.now();
    assert_eq!((now.waiting, now.callers), (6, 2));
    release.send(()).expect("holding job waiting");
    let order: Vec<&str> = ran.iter().take(6).collect();
    // First come, first served would run the light caller's last.
    assert_eq!(order[0], "light", "{order:?}");
    held.blocking_recv().expect("answered");
    for answer in answers {
        answer.blocking_recv().expect("answered");
    }
    assert_eq!(turns.now(), TurnsNow::default());
}

#[test]
fn a_request_whose_caller_has_gone_is_not_run() {
    let (turns, release, _held) = held_by("someone");
    let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = ran.clone();
    let gone = turns.run("gone", move || flag.store(true, Ordering::SeqCst));
    drop(gone);
    let after = turns.run("later", || ());
    release.send(()).expect("holding job waiting");
    after.blocking_recv().expect("the later request answered");
    assert!(!ran.load(Ordering::SeqCst));
    assert_eq!(turns.now().abandoned, 1);
}
