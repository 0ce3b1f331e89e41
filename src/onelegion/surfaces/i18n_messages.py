"""The CLI's own messages: key → (English, Simplified Chinese).

``help.<command path>`` and ``help.<command path>.<parameter>`` keys are the help texts of the
static commands (``help.legion`` is the root); cli/app.py applies them to the command tree.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- root --------------------------------------------------------------------------
    "help.legion": (
        "OneLegion (一人军团): AI workers for a one-person studio.\n\n"
        "Every skill runs the same way from here, the HTTP API (`legion serve`) and MCP "
        "(`legion mcp`); each run is recorded (`legion runs list`). No API key needed: an LLM "
        "only adds to the deterministic path. Start with `legion demo`, then `legion doctor`.",
        "OneLegion（一人军团）：一个人的工作室里的 AI 帮手。\n\n"
        "每个技能在这里、HTTP API（`legion serve`）和 MCP（`legion mcp`）中的运行方式都一样；"
        "每次运行都有记录（`legion runs list`）。无需 API 密钥：大模型只是在确定性流程之上锦上添花。"
        "先试试 `legion demo`，再运行 `legion doctor`。",
    ),
    "help.legion.home": (
        "Data folder (default: $LEGION_HOME or the user data dir).",
        "数据目录（默认：$LEGION_HOME 或用户数据目录）。",
    ),
    "help.legion.debug": ("Show tracebacks.", "显示完整的错误堆栈。"),
    "help.legion.lang": (
        "Messages language: auto, en or zh.",
        "界面语言：auto（自动）、en（英文）或 zh（中文）。",
    ),
    "help.legion.env_file": (
        "Read API keys from this .env file.",
        "从这个 .env 文件读取 API 密钥。",
    ),
    "help.legion.version": ("Print the version.", "显示版本号。"),
    # --- run ---------------------------------------------------------------------------
    "help.run": (
        "Run any skill by name with generic parameters.\n\n"
        "Example: legion run util.echo --param message=你好",
        "按名称运行任意技能，参数用通用方式传入。\n\n示例：legion run util.echo --param message=你好",
    ),
    "help.run.name": (
        "Skill name, e.g. clean.table (see `legion skills`).",
        "技能名称，例如 clean.table（见 `legion skills`）。",
    ),
    "help.run.param": (
        "NAME=VALUE (value may be JSON); repeatable.",
        "名称=值（值可以是 JSON）；可重复。",
    ),
    "help.run.params_file": ("JSON file of parameters.", "参数的 JSON 文件。"),
    "help.run.as_json": ("Print the result as JSON.", "以 JSON 输出结果。"),
    "help.run.refresh": ("Ignore the cache.", "忽略缓存。"),
    "help.run.timeout": ("Stop the run after SECONDS.", "运行超过 SECONDS 秒后停止。"),
    # --- skills ------------------------------------------------------------------------
    "help.skills": (
        "List skills and show their input/output schemas.",
        "列出技能，查看其输入/输出结构。",
    ),
    "help.skills.as_json": ("Print as JSON.", "以 JSON 输出。"),
    "help.skills.show": (
        "Print a skill's description and its input and output JSON schemas.",
        "显示技能的说明及其输入、输出 JSON Schema。",
    ),
    "help.skills.show.name": ("Skill name, e.g. clean.table.", "技能名称，例如 clean.table。"),
    # --- runs --------------------------------------------------------------------------
    "help.runs": (
        "Recorded runs: list, show, artifacts, rerun, cancel.",
        "运行记录：列出、查看、输出文件、重新运行、取消。",
    ),
    "help.runs.list": ("The newest runs.", "最近的运行。"),
    "help.runs.list.limit": ("How many (newest first).", "显示多少条（最新的在前）。"),
    "help.runs.list.skill": ("Only this skill.", "只看这个技能。"),
    "help.runs.list.status": (
        "Only this status: queued, running, succeeded, failed, cancelled, timed_out, interrupted.",
        "只看这个状态：queued、running、succeeded、failed、cancelled、timed_out、interrupted。",
    ),
    "help.runs.list.since": (
        "Only runs created since then: 30m, 24h, 7d ago, or a date/time (2026-12-01).",
        "只看此后创建的运行：30m、24h、7d 之前，或日期时间（2026-12-01）。",
    ),
    "help.runs.list.until": (
        "Only runs created before then (same forms as --since).",
        "只看此前创建的运行（写法同 --since）。",
    ),
    "help.runs.list.search": (
        "Only runs whose skill, params, output or error contain this text.",
        "只看技能名、参数、输出或错误中包含这段文字的运行。",
    ),
    "help.runs.list.as_json": ("Print as JSON.", "以 JSON 输出。"),
    "help.runs.show": (
        "One run: params, status, output, events, artifacts and LLM calls.",
        "一次运行的详情：参数、状态、输出、事件、输出文件和大模型调用。",
    ),
    "help.runs.show.run": (
        "Run id, a unique prefix, or 'last'.",
        "运行 ID、唯一前缀，或 'last'（最近一次）。",
    ),
    "help.runs.show.as_json": ("Print as JSON.", "以 JSON 输出。"),
    "help.runs.artifacts": ("The files a run produced.", "一次运行生成的文件。"),
    "help.runs.open": (
        "Open a run's HTML report in the browser (or its folder when it has none).",
        "在浏览器中打开一次运行的 HTML 报告（没有报告时打开其文件夹）。",
    ),
    "help.runs.open.run": (
        "Run id, a unique prefix, or 'last'.",
        "运行 ID、唯一前缀，或 'last'（最近一次）。",
    ),
    "help.runs.open.path_only": (
        "Only print the path; open nothing.",
        "只显示路径，不打开。",
    ),
    "help.runs.artifacts.run": (
        "Run id, a unique prefix, or 'last'.",
        "运行 ID、唯一前缀，或 'last'（最近一次）。",
    ),
    "help.runs.artifacts.as_json": ("Print as JSON.", "以 JSON 输出。"),
    "help.runs.rerun": (
        "Run a recorded run again with the same parameters (a cache hit unless --refresh).",
        "用相同参数再运行一次（除非加 --refresh，否则直接命中缓存）。",
    ),
    "help.runs.rerun.run": (
        "Run id, a unique prefix, or 'last'.",
        "运行 ID、唯一前缀，或 'last'（最近一次）。",
    ),
    "help.runs.rerun.refresh": ("Ignore the cache.", "忽略缓存。"),
    "help.runs.rerun.as_json": ("Print the result as JSON.", "以 JSON 输出结果。"),
    "help.runs.cancel": (
        "Ask a queued or running run to stop (also one started by `legion serve`).",
        "请求停止排队中或运行中的任务（包括由 `legion serve` 启动的）。",
    ),
    "help.runs.cancel.run": (
        "Run id, a unique prefix, or 'last'.",
        "运行 ID、唯一前缀，或 'last'（最近一次）。",
    ),
    # --- config ------------------------------------------------------------------------
    "help.config": (
        "Show or change settings (legion.toml in LEGION_HOME).",
        "查看或修改设置（LEGION_HOME 中的 legion.toml）。",
    ),
    "help.config.show": (
        "All settings, with secrets masked, and where they come from.",
        "全部设置（密钥已隐藏）及其来源。",
    ),
    "help.config.show.as_json": (
        "Print plain JSON (no colours, no wrapped lines).",
        "输出纯 JSON（无颜色、不折行）。",
    ),
    "help.config.set": (
        "Change one setting in legion.toml. Keys are checked against the settings schema (the "
        "core's and the tables skills declare, such as [radar]), values by type; secrets are refused.",
        "修改 legion.toml 中的一项设置。键按设置结构校验（核心设置及各技能声明的表，如 [radar]），"
        "值按类型校验；不接受密钥。",
    ),
    "help.config.set.key": (
        "Dotted key, e.g. llm.model or http.proxy.",
        "用点分隔的键，例如 llm.model 或 http.proxy。",
    ),
    "help.config.set.value": (
        "Value (TOML syntax for numbers, lists, booleans).",
        "值（数字、列表、布尔值用 TOML 语法）。",
    ),
    "help.config.path": ("Print the path of legion.toml.", "显示 legion.toml 的路径。"),
    # --- services ----------------------------------------------------------------------
    "help.serve": (
        "Serve the cockpit (web page at /) and the HTTP API (/api, docs at /docs) on 127.0.0.1:8765; "
        "while it runs, scheduled playbooks run when due.",
        "在 127.0.0.1:8765 提供驾驶舱网页（/）和 HTTP API（/api，文档在 /docs）；运行期间到点的定时剧本会自动运行。",
    ),
    "help.serve.open_browser": ("Open the cockpit in the browser.", "在浏览器中打开驾驶舱。"),
    "help.serve.host": ("Bind address [default: 127.0.0.1].", "监听地址 [默认：127.0.0.1]。"),
    "help.serve.port": ("Port [default: 8765].", "端口 [默认：8765]。"),
    "help.serve.token": (
        "Bearer token (default: $LEGION_TOKEN); required off loopback.",
        "Bearer 令牌（默认：$LEGION_TOKEN）；监听非本机地址时必填。",
    ),
    "help.serve.generate_token": (
        "Print a new random token (256 bits) and exit.",
        "打印一个新的随机令牌（256 位）后退出。",
    ),
    "serve_token_made": (
        "a new token (above, on stdout): export LEGION_TOKEN=<it> before `legion serve --host ...`",
        "新令牌见上方（标准输出）：先 export LEGION_TOKEN=<令牌>，再运行 `legion serve --host ...`",
    ),
    "help.mcp": (
        "Serve every skill as an MCP tool (stdio by default).",
        "把每个技能作为 MCP 工具提供（默认走 stdio）。",
    ),
    "help.mcp.http": ("Streamable HTTP instead of stdio.", "用 Streamable HTTP 代替 stdio。"),
    "help.mcp.host": ("Bind address with --http.", "使用 --http 时的监听地址。"),
    "help.mcp.port": ("Port with --http.", "使用 --http 时的端口。"),
    "help.mcp.token": (
        "Bearer token with --http (default: $LEGION_TOKEN).",
        "使用 --http 时的 Bearer 令牌（默认：$LEGION_TOKEN）。",
    ),
    "help.doctor": (
        "Check what works (Python, store, extras, ffmpeg, CJK font, LLM, sources) "
        "and how to fix the rest.",
        "检查哪些功能可用（Python、存储、扩展、ffmpeg、中文字体、大模型、数据源），并给出修复方法。",
    ),
    "help.doctor.as_json": ("Print as JSON.", "以 JSON 输出。"),
    "help.doctor.offline": ("Skip network checks.", "跳过需要联网的检查。"),
    "help.demo": (
        "Run every skill on its bundled sample data (no API key, no internet) and show the reports.",
        "用自带的示例数据运行每个技能（无需 API 密钥，无需联网），并显示报告位置。",
    ),
    "help.demo.as_json": ("Print a JSON summary.", "以 JSON 输出摘要。"),
    "help.ask": (
        "Say what you want in one sentence: the commander plans it over the skills (needs an "
        "LLM), shows the plan with every parameter and its cost, and runs it once you approve.",
        "用一句话说出目标：指挥官用现有技能制定计划（需要大模型），列出每个参数和费用，经你批准后运行。",
    ),
    "help.ask.goal": (
        'The goal, e.g. "clean sales.xlsx then profile it".',
        "目标，例如“清洗 sales.xlsx 再做概况”。",
    ),
    "help.ask.yes": ("Run without asking.", "不询问，直接运行。"),
    "help.ask.budget": (
        "Refuse a plan whose estimated LLM cost (USD) is over this.",
        "预计大模型费用（美元）超过此值时拒绝运行。",
    ),
    "help.ask.as_json": ("Print the results as JSON.", "以 JSON 输出结果。"),
    "ask.approve": (
        "Run this plan? y = yes, n = no, e = edit",
        "运行这个计划吗？y = 运行，n = 取消，e = 编辑",
    ),
    "ask.cancelled": ("Cancelled: nothing ran.", "已取消：没有运行任何步骤。"),
    "ask.edit_path": ("Path of the edited plan (YAML)", "编辑后的计划文件路径（YAML）"),
    "ask.edit_bad": (
        "the edited plan is not valid YAML: {error}",
        "编辑后的计划不是有效的 YAML：{error}",
    ),
    # --- generated skill commands (cli/gen.py) ---------------------------------------------
    "gen.json": ("Print the result as JSON.", "以 JSON 输出结果。"),
    "gen.twice": (
        "--{name} given twice: as an argument and as an option",
        "--{name} 给了两次：既作为参数又作为选项",
    ),
    "gen.lang": (
        "Messages language for this command: auto, en or zh.",
        "本命令的消息语言：auto、en 或 zh。",
    ),
    "gen.refresh": ("Ignore the cache; run again.", "忽略缓存，重新运行。"),
    "gen.timeout": ("Stop the run after SECONDS.", "运行超过 SECONDS 秒后停止。"),
    "gen.param": ("Set any parameter (value may be JSON).", "设置任意参数（值可以是 JSON）。"),
    "gen.params_file": ("JSON file of parameters.", "参数的 JSON 文件。"),
    "gen.examples": ("Examples:", "示例："),
    "gen.repeat": ("(repeat or separate with commas)", "（可重复，或用逗号分隔）"),
    "gen.default": ("[default: {value}]", "[默认：{value}]"),
    "gen.set_with_param": ("Set with --param: {fields}", "用 --param 设置：{fields}"),
    "gen.plugin_group": ("Skills of the '{name}' plugin.", "插件 '{name}' 的技能。"),
    "gen.bad_pair": (
        "--param expects NAME=VALUE, got {pair!r}",
        "--param 需要 名称=值，收到 {pair!r}",
    ),
    # --- cli/app.py messages -------------------------------------------------------------
    "lang_invalid": (
        "--lang: expected auto, en or zh, got {value!r}",
        "--lang：应为 auto、en 或 zh，收到 {value!r}",
    ),
    "env_file_missing": ("--env-file: no such file: {path}", "--env-file：没有这个文件：{path}"),
    "params_file_bad": (
        "--params-file: not a JSON object ({error})",
        "--params-file：不是 JSON 对象（{error}）",
    ),
    "params_file_not_object": (
        "--params-file: expected a JSON object",
        "--params-file：应为 JSON 对象",
    ),
    "col.skill": ("skill", "技能"),
    "col.command": ("command", "命令"),
    "col.summary": ("summary", "简介"),
    "col.name": ("name", "名称"),
    "col.media_type": ("media type", "类型"),
    "col.size": ("size", "大小"),
    "col.path": ("path", "路径"),
    "col.id": ("id", "ID"),
    "col.status": ("status", "状态"),
    "col.surface": ("surface", "入口"),
    "col.started": ("started", "开始时间"),
    "col.ms": ("ms", "毫秒"),
    "col.cached": ("cached", "缓存"),
    "col.check": ("check", "检查项"),
    "col.detail": ("detail", "详情"),
    "col.fix": ("fix", "修复方法"),
    "col.report": ("report / file", "报告 / 文件"),
    "plugin_failed": ("plugin {name!r} failed to load:", "插件 {name!r} 加载失败："),
    "no_run_matches": ("no run matches {ref!r}", "没有匹配 {ref!r} 的运行"),
    "ambiguous_run": (
        "{ref!r} is the start of several runs",
        "{ref!r} 是多个运行 ID 的开头",
    ),
    "one_of": ("give more of the id: {ids}", "请给出更完整的 ID：{ids}"),
    "unknown_status": ("unknown status {value!r}", "未知状态 {value!r}"),
    "known_values": ("known: {values}", "可选：{values}"),
    "unknown_skill": ("no skill named {name!r}", "没有名为 {name!r} 的技能"),
    "did_you_mean": ("did you mean {name!r}?", "你是想输入 {name!r} 吗？"),
    "see_skills": ("see `legion skills`", "见 `legion skills`"),
    "no_runs_match": ("no runs match these filters", "没有符合这些条件的运行"),
    "mcp_stdio_hint": (
        "legion mcp speaks MCP (JSON-RPC) on stdin/stdout: start it from an MCP client "
        "(Claude Desktop, Cursor, ...), or use `legion mcp --http`. Ctrl-C stops it.",
        "legion mcp 通过标准输入/输出使用 MCP（JSON-RPC）协议：请在 MCP 客户端（Claude Desktop、"
        "Cursor 等）中启动，或使用 `legion mcp --http`。按 Ctrl-C 停止。",
    ),
    "nothing_to_open": ("run {run_id} left no report or folder", "运行 {run_id} 没有报告或文件夹"),
    "see_artifacts": ("see `legion runs artifacts`", "见 `legion runs artifacts`"),
    "bad_when": (
        "{option} {value!r} is not a time: give 30m, 24h, 7d, or a date like 2026-12-01",
        "{option} {value!r} 不是时间：请写 30m、24h、7d，或日期如 2026-12-01",
    ),
    "see_runs_list": ("see `legion runs list`", "见 `legion runs list`"),
    "show.cached_from": ("cached from {run_id}", "缓存自 {run_id}"),
    "show.params": ("params", "参数"),
    "show.output": ("output", "输出"),
    "show.events": ("events", "事件"),
    "show.artifact": ("artifact", "输出文件"),
    "show.child": ("child run", "子运行"),
    "show.parent": ("started by", "由此运行启动"),
    "show.llm": ("llm", "大模型"),
    "show.llm_calls": (
        "{calls} calls ({hits} cached) · {tok_in}+{tok_out} tokens · ${cost:.4f}",
        "{calls} 次调用（{hits} 次命中缓存）· {tok_in}+{tok_out} tokens · ${cost:.4f}",
    ),
    "cancel_requested": ("cancel requested: {run_id}", "已请求取消：{run_id}"),
    "not_running": ("{run_id} is not running", "{run_id} 没有在运行"),
    "config_file": (
        "file: {path} (environment LEGION_* overrides it)",
        "文件：{path}（环境变量 LEGION_* 优先于它）",
    ),
    "unexpected": (
        "unexpected {kind}: {message} (run with --debug for the traceback)",
        "意外错误 {kind}：{message}（加 --debug 运行可查看堆栈）",
    ),
    # --- cli/render.py------------------------------------------------------------------
    "error": ("error", "错误"),
    "error_line": ("error: {message}", "错误：{message}"),
    "run": ("run", "运行"),
    "cached": ("cached, from", "命中缓存，来自"),
    "artifacts": ("Files", "输出文件"),
    "more_rows": ("… {n} more", "… 还有 {n} 行"),
    "cancelling": (
        "cancelling… (Ctrl-C again to leave it running)",
        "正在取消…（再按 Ctrl-C 则不等待）",
    ),
    "no_runs": ("no runs yet — try `legion demo`", "还没有运行记录 —— 试试 `legion demo`"),
    "status.succeeded": ("succeeded", "成功"),
    "status.failed": ("failed", "失败"),
    "status.cancelled": ("cancelled", "已取消"),
    "status.interrupted": ("interrupted", "已中断"),
    "status.timed_out": ("timed out", "已超时"),
    "status.running": ("running", "运行中"),
    "status.queued": ("queued", "排队中"),
    # --- demo ----------------------------------------------------------------------------
    "demo_done": ("Demo finished. Open the reports:", "演示完成。报告位置："),
    "demo_none": ("no skill declares a demo", "没有技能提供演示"),
    "demo_skipped": ("skipped:", "已跳过："),
    # --- doctor ----------------------------------------------------------------------------
    "check.Python": ("Python", "Python"),
    "check.Store": ("Store", "存储"),
    "check.Skills": ("Skills", "技能"),
    "check.Dask executor": ("Dask executor", "Dask 执行器"),
    "check.ffmpeg": ("ffmpeg", "ffmpeg"),
    "check.CJK font": ("CJK font", "中文字体"),
    "check.LLM": ("LLM", "大模型"),
    "check.plugin": ("{name} checks", "{name} 检查"),
    "doc.python_fix": ("install Python 3.11 or newer", "安装 Python 3.11 或更新版本"),
    "doc.store_fix": (
        "check LEGION_HOME permissions / free disk",
        "检查 LEGION_HOME 的权限和剩余磁盘空间",
    ),
    "doc.store_ok": (
        "{path} · {runs} runs · {migrations} migrations · workspace writable",
        "{path} · {runs} 次运行 · {migrations} 个迁移 · 工作区可写",
    ),
    "doc.skills_failed": ("failed to load: {names}", "加载失败：{names}"),
    "doc.skills_fix": (
        "reinstall the plugin or run with --debug",
        "重新安装该插件，或加 --debug 运行查看原因",
    ),
    "doc.skills_ok": ("{count} skills: {names}", "{count} 个技能：{names}"),
    "doc.installed": ("installed", "已安装"),
    "doc.not_installed": ("not installed (optional)", "未安装（可选）"),
    "doc.llm_none": (
        "none configured: deterministic paths only",
        "未配置：只走确定性流程",
    ),
    "doc.llm_fix": (
        "legion config set llm.model deepseek:deepseek-chat  (and export DEEPSEEK_API_KEY)",
        "legion config set llm.model deepseek:deepseek-chat（并设置环境变量 DEEPSEEK_API_KEY）",
    ),
    "doc.llm_not_contacted": ("{model} (not contacted)", "{model}（未联系）"),
    "doc.llm_broken_fix": (
        "check the API key variable, the base URL and the network/proxy",
        "检查 API 密钥环境变量、base URL 以及网络/代理",
    ),
    "doc.elapsed": ("{seconds:.1f} s", "{seconds:.1f} 秒"),
}
