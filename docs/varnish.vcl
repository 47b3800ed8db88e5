vcl 4.1;
# Varnish in front of Gazette (Varnish 7 with vmod xkey from varnish-modules; Debian: apt-get
# install varnish varnish-modules). See docs/cdn.md. Replace the backend addresses and the purgers
# ACL with your own; start Gazette with GAZETTE_CDN_PURGE_URL=http://<this varnish>:<port>.

import directors;
import std;
import xkey;

# /healthz answers 200 while the instance can reach its database, 503 otherwise.
probe gazette_health {
    .url = "/healthz";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend gazette1 { .host = "127.0.0.1"; .port = "3001"; .probe = gazette_health; }
backend gazette2 { .host = "127.0.0.1"; .port = "3002"; .probe = gazette_health; }

# Who may purge: the Gazette instances (list their addresses or networks).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new gazette = directors.round_robin();
    gazette.add_backend(gazette1);
    gazette.add_backend(gazette2);
}

sub vcl_recv {
    set req.backend_hint = gazette.backend();

    # Gazette's purges: PURGE / with the keys in xkey-purge (space-separated).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Send the keys to purge in the xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }

    # Writes, staff (session cookie), API clients (token) and the newsroom go straight through.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)gz_session=" || req.url ~ "^/admin(/|$|\?)") {
        return (pass);
    }
    # A reader's message after posting a comment is theirs alone.
    if (req.url ~ "[?&]comment=") {
        return (pass);
    }
    # Campaign parameters do not change a page (Gazette leaves them out of its own keys too).
    if (req.url ~ "[?&](utm_[a-z_]+|fbclid|gclid|msclkid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z_]+|fbclid|gclid|msclkid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # Stale copies (grace) are served only while no instance is healthy; otherwise an expired
    # page is fetched again at once.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    # Readers' other cookies (the comment form's anonymous token) do not change a shared page:
    # look it up without the built-in rule that passes every request with a cookie. Answers that
    # set a cookie or say private / no-store are still never stored (the built-in
    # vcl_backend_response, which runs after ours).
    return (hash);
}

sub vcl_backend_response {
    # Gazette's Surrogate-Key lists what a page shows; xkey indexes the xkey header. Every object
    # also carries gazette:all, which Gazette purges when a change shows on every page.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key + " gazette:all";
    } else {
        set beresp.http.xkey = "gazette:all";
    }
    # Lifetimes come from Gazette's Cache-Control (pages: the site's setting; 404: 10 s; errors:
    # no-store). Keep copies past it for when every instance is down (see req.grace above).
    set beresp.grace = 6h;
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
}
