namespace McpCloudTools.Server.Http;

/// <summary>The status page's three files, compiled in (no static-file middleware, nothing read from disk).</summary>
internal static class StatusPageAssets
{
    public const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>McpCloudTools status</title>
        <link rel="stylesheet" href="/status.css">
        <script src="/status.js" defer></script>
        </head>
        <body>
        <header>
          <h1>McpCloudTools</h1>
          <p id="summary">Loading…</p>
        </header>
        <form id="token-form" hidden>
          <label for="token">This server needs its API token:</label>
          <input id="token" type="password" autocomplete="off">
          <button type="submit">Use token</button>
          <span class="note">Kept in this tab only (sessionStorage).</span>
        </form>
        <p id="message" role="alert"></p>
        <section>
          <h2>Plugin instances <button id="check-health" type="button">Check health</button></h2>
          <table id="instances"><thead><tr><th>Instance</th><th>Type</th><th>Display name</th><th>Health</th><th>Status</th><th>Enabled</th></tr></thead><tbody></tbody></table>
        </section>
        <section>
          <h2>Clusters</h2>
          <table id="clusters"><thead><tr><th>Cluster</th><th>Name</th><th>Region</th><th>Plugin</th><th>Source</th><th>Active</th></tr></thead><tbody></tbody></table>
          <p id="discovery-failures"></p>
        </section>
        <section>
          <h2>Advertised tools</h2>
          <div id="tools"></div>
        </section>
        <section>
          <h2>Recent calls</h2>
          <table id="audit"><thead><tr><th>When (UTC)</th><th>Who</th><th>Tool</th><th>Outcome</th><th>ms</th></tr></thead><tbody></tbody></table>
        </section>
        <noscript>This page reads the REST API under /api with a small script of its own; enable JavaScript, or use /api directly.</noscript>
        </body>
        </html>
        """;

    public const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f23; background: #fafbfc; }
        h1 { margin: 0 0 .25rem; font-size: 1.4rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
        th { background: #f3f4f6; font-weight: 600; }
        .healthy { color: #116329; font-weight: 600; }
        .degraded { color: #9a6700; font-weight: 600; }
        .unhealthy, .error { color: #b42318; font-weight: 600; }
        .muted, .note { color: #6a737d; }
        .tool-group { margin-bottom: .75rem; }
        .tool { display: inline-block; margin: .15rem .3rem .15rem 0; padding: .05rem .4rem; border: 1px solid #d0d7de; border-radius: 4px; background: #fff; }
        .tool.write { border-color: #d4a72c; }
        .tool.destructive { border-color: #cf222e; }
        #message:empty { display: none; }
        #message { padding: .5rem; background: #fff1f0; border: 1px solid #ffccc7; }
        button { cursor: pointer; }
        """;

    public const string Script = """
        'use strict';
        (() => {
          const tokenKey = 'mcp-cloud-tools-token';
          let token = sessionStorage.getItem(tokenKey);
          const $ = (id) => document.getElementById(id);

          // Every element is built with textContent: names from the registry are attacker-influenced.
          function el(tag, props, ...children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(props || {})) {
              if (key === 'className') node.className = value;
              else if (key === 'onclick') node.addEventListener('click', value);
              else if (key.startsWith('data-')) node.setAttribute(key, String(value));
              else node[key] = value;
            }
            for (const child of children) {
              node.append(child instanceof Node ? child : document.createTextNode(child == null ? '' : String(child)));
            }
            return node;
          }

          class NeedsToken extends Error {}

          async function api(method, path) {
            const headers = { Accept: 'application/json' };
            if (token) headers.Authorization = 'Bearer ' + token;
            const response = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store' });
            if (response.status === 401) {
              $('token-form').hidden = false;
              throw new NeedsToken('This server needs its API token.');
            }
            const body = response.status === 204 ? null : await response.json().catch(() => null);
            if (!response.ok) throw new Error((body && (body.detail || body.title)) || ('HTTP ' + response.status));
            return body;
          }

          function show(error) {
            $('message').textContent = error ? String(error.message || error) : '';
          }

          function fill(table, rows) {
            const body = table.tBodies[0];
            body.replaceChildren(...rows);
          }

          function renderInstances(status, plugins) {
            const byId = new Map(plugins.map((p) => [p.id, p]));
            fill($('instances'), status.instances.map((i) => {
              const plugin = byId.get(i.id) || {};
              const health = i.health ? i.health.status : (i.enabled ? 'unknown' : 'disabled');
              const toggle = el('button', {
                type: 'button', 'data-toggle': i.id,
                onclick: () => act('POST', '/api/plugins/' + encodeURIComponent(i.id) + (i.enabled ? '/disable' : '/enable')),
              }, i.enabled ? 'Disable' : 'Enable');
              return el('tr', { 'data-instance': i.id },
                el('td', {}, i.id), el('td', {}, i.type), el('td', { className: 'display-name' }, plugin.displayName || ''),
                el('td', { className: health, title: i.health ? i.health.message : '' }, health),
                el('td', { className: 'muted' }, i.status || (i.health ? i.health.message : '')),
                el('td', {}, i.enabled ? 'yes ' : 'no ', toggle));
            }));
          }

          function renderClusters(list) {
            fill($('clusters'), list.clusters.map((c) => el('tr', { 'data-cluster': c.id },
              el('td', {}, c.id), el('td', {}, c.name), el('td', {}, c.region), el('td', {}, c.pluginType), el('td', {}, c.source),
              el('td', {}, c.active ? el('strong', { className: 'active' }, 'active')
                : el('button', { type: 'button', 'data-activate': c.id,
                    onclick: () => act('POST', '/api/clusters/' + encodeURIComponent(c.id) + '/activate') }, 'Activate')))));
            $('discovery-failures').textContent = list.discoveryFailures.length
              ? 'Discovery failed for: ' + list.discoveryFailures.map((f) => f.instance + ' (' + f.error + ')').join('; ') : '';
          }

          function renderTools(tools) {
            const groups = new Map();
            for (const t of tools) {
              if (!groups.has(t.plugin)) groups.set(t.plugin, []);
              groups.get(t.plugin).push(t);
            }
            $('tools').replaceChildren(...[...groups].map(([plugin, list]) => el('div', { className: 'tool-group', 'data-plugin': plugin },
              el('strong', {}, (plugin === '-' ? 'management' : plugin) + ' (' + list.length + '): '),
              ...list.map((t) => el('span', { className: 'tool ' + t.access, title: t.access, 'data-tool': t.name }, t.name + ' · ' + t.access)))));
          }

          function renderAudit(calls) {
            fill($('audit'), calls.length ? calls.map((c) => el('tr', {},
              el('td', {}, String(c.at).replace('T', ' ').replace(/\..*$/, '')), el('td', {}, c.who), el('td', {}, c.tool),
              el('td', { className: c.outcome === 'error' ? 'error' : '' }, c.outcome), el('td', {}, c.durationMs)))
              : [el('tr', {}, el('td', { colSpan: 5, className: 'muted' }, 'No tool calls yet.'))]);
          }

          async function load() {
            try {
              const [status, plugins, clusters, tools, audit] = await Promise.all([
                api('GET', '/api/status'), api('GET', '/api/plugins'), api('GET', '/api/clusters'), api('GET', '/api/tools'), api('GET', '/api/audit')]);
              $('summary').textContent = 'Version ' + status.version + ' · ' + (status.allowWrite ? 'read-write' : 'read-only') +
                ' · sensitive data ' + (status.allowSensitiveData ? 'shown' : 'redacted') + ' · ' + status.advertisedTools + ' tools advertised' +
                (status.activeCluster ? ' · active cluster ' + status.activeCluster : '');
              renderInstances(status, plugins);
              renderClusters(clusters);
              renderTools(tools);
              renderAudit(audit);
              $('token-form').hidden = true;
              document.body.dataset.loaded = String(Date.now());
              show(null);
            } catch (e) {
              show(e);
            }
          }

          async function act(method, path) {
            try {
              await api(method, path);
              await load();
            } catch (e) {
              show(e);
            }
          }

          document.addEventListener('DOMContentLoaded', () => {
            $('token-form').addEventListener('submit', (e) => {
              e.preventDefault();
              token = $('token').value.trim();
              sessionStorage.setItem(tokenKey, token);
              $('token').value = '';
              load();
            });
            $('check-health').addEventListener('click', load);
            load();
          });
        })();
        """;
}
