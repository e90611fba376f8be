"""deploy/gunicorn.conf.py: worker recycling that does not spike p99."""

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def config():
    return runpy.run_path(str(CONFIG))


def test_workers_are_forked_from_a_master_that_loaded_django_once():
    assert config()["preload_app"] is True


def test_workers_recycle_rarely_and_at_spread_out_times():
    settings = config()
    # gunicorn draws each worker's limit from max_requests + randint(0, max_requests_jitter).
    assert settings["max_requests"] >= 50000
    assert settings["max_requests_jitter"] >= settings["max_requests"] // 2


def test_gunicorn_accepts_the_configuration(tmp_path):
    from gunicorn.app.base import Application

    class Check(Application):
        def init(self, parser, opts, args):
            return None

        def load_config(self):
            for name, value in config().items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)

        def load(self):
            return None

    check = Check()
    assert check.cfg.preload_app is True
    assert check.cfg.max_requests_jitter >= check.cfg.max_requests // 2


def test_workers_start_with_the_loaded_project_out_of_the_collectors_reach():
    import gc

    before = gc.get_freeze_count()
    try:
        config()["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
