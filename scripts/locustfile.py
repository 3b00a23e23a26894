"""The people of the load benchmark, for locust (started by `manage.py bench_load`, issue 19).

Each simulated person takes the next one of the plan the command wrote (BENCH_LOAD_PLAN: their
username and the pages of their role's journey, tracker/load.py), signs in through the sign-in
form as a browser would, then walks their pages in turn, pausing between pages as a person
reading them does. A page counts as an error when it does not answer 200 or sends the person
back to sign in. No Django here: locust runs in its own process, against the server only.

FastHttpUser (geventhttpclient), not HttpUser (requests): locust shares the server's two cores,
and the lighter client leaves more of them to the server being measured.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
THINK = float(os.environ.get("BENCH_LOAD_THINK", "1"))
SIGN_IN = "/accounts/login/"
SIGN_IN_FORM = b'name="password"'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_turn = itertools.count()

# Every request's start and time, for the command to tell the pages asked for while people were
# still signing in from those asked for after (one line each: name, start, milliseconds).
_timings = open(os.environ["BENCH_LOAD_TIMINGS"], "a", encoding="utf-8")  # noqa: SIM115


@events.request.add_listener
def _record(name, start_time, response_time, **kwargs) -> None:
    _timings.write(f"{name}\t{start_time:.3f}\t{response_time:.1f}\n")


@events.quitting.add_listener
def _close(**kwargs) -> None:
    _timings.close()


class Person(FastHttpUser):
    wait_time = between(THINK / 2, THINK * 3 / 2)

    def on_start(self) -> None:
        person = PLAN["people"][next(_turn) % len(PLAN["people"])]
        self.pages = person["pages"]
        self.step = 0
        form = self.client.get(SIGN_IN, name="Sign-in form")
        token = TOKEN.search(form.text)
        with self.client.post(
            SIGN_IN,
            data=urlencode(
                {
                    "username": person["username"],
                    "password": PLAN["password"],
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                }
            ),
            headers={
                "Referer": self.host + SIGN_IN,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="Sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{person['username']} was not signed in")

    @task
    def next_page(self) -> None:
        label, path = self.pages[self.step % len(self.pages)]
        self.step += 1
        with self.client.get(path, name=label, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            elif SIGN_IN_FORM in (response.content or b""):
                # Redirects are followed as a browser does; a page that ends on the sign-in form
                # sent the person back to sign in.
                response.failure(f"{path} sent the person back to sign in")
