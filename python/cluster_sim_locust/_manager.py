"""The manager under test (Locust's --host) as this package uses it: a login
over its REST API (IML's session/CSRF dance), a registration token, and the
list of hosts it knows. The same API the real IML manager serves."""

import http.cookiejar
import json
import ssl
import urllib.request


class Manager:
    def __init__(self, url, ca=None, timeout=60):
        self.url = url if url.endswith("/") else url + "/"
        context = ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                                  urllib.request.HTTPCookieProcessor(self.cookies))
        self.timeout = timeout

    def _csrf(self):
        for c in self.cookies:
            if c.name == "csrftoken":
                return c.value
        return None

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        if self._csrf():
            headers["X-CSRFToken"] = self._csrf()
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        with self.opener.open(request, timeout=self.timeout) as r:
            text = r.read()
        return json.loads(text) if text else None

    def login(self, username, password):
        self.call("GET", "api/session/")
        self.call("POST", "api/session/", {"username": username, "password": password})

    def registration_token(self, credits, profile="base_managed_rh7"):
        profiles = self.call("GET", "api/server_profile/?limit=0")["objects"]
        uri = [p["resource_uri"] for p in profiles if p.get("name") == profile]
        if not uri:
            raise RuntimeError("the manager has no server profile " + profile)
        return self.call("POST", "api/registration_token/", {"credits": credits, "profile": uri[0]})["secret"]

    def hosts(self):
        """fqdn -> host object, every host the manager lists."""
        return {h["fqdn"]: h for h in self.call("GET", "api/host/?limit=0")["objects"]}
