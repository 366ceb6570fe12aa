#!/usr/bin/env python3
"""Write tests/data/templates/golden.json: chat templates rendered by Python's jinja2.

Hearth's chat-template interpreter (engine/template/) must render byte-for-byte what transformers'
apply_chat_template renders. The oracle here is PyPI `jinja2`, configured exactly as transformers
configures it (transformers/utils/chat_template_utils.py, _cached_compile_jinja_template):

    ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                  extensions=[<generation tag>, jinja2.ext.loopcontrols])
    filters["tojson"]           json.dumps(x, ensure_ascii=False, indent=indent,
                                           separators=separators, sort_keys=sort_keys)
    globals["raise_exception"]  raises jinja2.exceptions.TemplateError(message)
    globals["strftime_now"]     datetime.now().strftime(format)
    globals["dict"], globals["namespace"]  (namespace rejects underscore-prefixed names)

and the context is built as render_jinja_template builds it: messages, tools (None when absent),
documents (None), add_generation_prompt, then the special tokens and any extra variables.

For each tests/data/templates/*.jinja (read as bytes, so the file is exactly what the C++ test reads)
and each conversation below that fits it, the golden file records the template name, case name,
context and either the expected output or, where the template raises, the error message. A second set
of cases has small inline templates ("source") that pin expression, filter and whitespace semantics.

Regenerate (from the repository root):

    python3 -m venv /tmp/tpl-venv
    /tmp/tpl-venv/bin/pip install -r tests/requirements-templates.txt
    /tmp/tpl-venv/bin/python tests/make_template_golden.py

tests/data/templates/smollm2.jinja was extracted from SmolLM2-135M-Instruct.Q4_1.gguf (GGUF key
tokenizer.chat_template) with:

    /tmp/tpl-venv/bin/python tests/make_template_golden.py --extract-smollm2 \\
        ~/.cache/hearth/models/SmolLM2-135M-Instruct.Q4_1.gguf
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "data" / "templates"
GOLDEN = TEMPLATES / "golden.json"


# ---- the environment, as transformers builds it ----------------------------------------------------

class GenerationTag(Extension):
    """transformers' AssistantTracker without the tracking: {% generation %}…{% endgeneration %}."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


class TemplateNamespace(jinja2.utils.Namespace):
    def __init__(*args, **kwargs):
        self, args = args[0], args[1:]
        attrs = dict(*args, **kwargs)
        for name in attrs:
            TemplateNamespace._check_name(name)
        jinja2.utils.Namespace.__init__(self, attrs)

    def __setitem__(self, name, value):
        TemplateNamespace._check_name(name)
        jinja2.utils.Namespace.__setitem__(self, name, value)

    @staticmethod
    def _check_name(name):
        if isinstance(name, str) and name.startswith("_"):
            raise jinja2.exceptions.SecurityError("underscore-prefixed namespace attribute")


class TemplateDict:
    def __call__(self, *args, **kwargs):
        return dict(*args, **kwargs)


def make_environment() -> ImmutableSandboxedEnvironment:
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    env.globals["dict"] = TemplateDict()
    env.globals["namespace"] = TemplateNamespace
    return env


def context(messages, add_generation_prompt, tools=None, **extra):
    # render_jinja_template: messages, tools, documents, add_generation_prompt, then **kwargs.
    return {"messages": messages, "tools": tools, "documents": None,
            "add_generation_prompt": add_generation_prompt, **extra}


# ---- conversations ---------------------------------------------------------------------------------

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
U1 = {"role": "user", "content": "Hello! How are you?"}
A1 = {"role": "assistant", "content": "I'm fine, thanks. And you?"}
U2 = {"role": "user", "content": "What is 2+2? Answer with \"four\" or '4'."}
NONASCII_U = {"role": "user", "content": "你好，世界！🌍 مرحبا بالعالم — naïve café"}
NONASCII_A = {"role": "assistant", "content": "Привет 👋 ça va? 😀 こんにちは"}
PADDED_U = {"role": "user", "content": "  \n padded \t content\n\n "}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city — in °C.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. 北京"},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "detailed": {"type": "boolean"},
            },
            "required": ["city"],
        },
        "return": {"type": "string"},
    },
}
TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current time for a timezone.",
        "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}, "required": []},
    },
}
TOOLS = [WEATHER_TOOL, TIME_TOOL]
ASK_WEATHER = {"role": "user", "content": "What's the weather in 北京 for 2 days?"}
CALL_ARGS = {"city": "北京", "days": 2, "detailed": False, "ratio": 0.5, "note": None}
TOOL_CALL = {"role": "assistant", "content": "",
             "tool_calls": [{"id": "call12345", "type": "function",
                             "function": {"name": "get_weather", "arguments": CALL_ARGS}}]}
TOOL_RESULT = {"role": "tool", "tool_call_id": "call12345", "name": "get_weather",
               "content": "{\"temperature\": 22.5, \"sky\": \"晴\"}"}
AFTER_TOOL = {"role": "assistant", "content": "It is 22.5 °C and sunny in 北京."}


def basic_cases(system_ok=True):
    cases = {
        "single_user_gen": context([U1], True),
        "single_user_nogen": context([U1], False),
        "multi_turn_gen": context([U1, A1, U2], True),
        "multi_turn_nogen": context([U1, A1, U2, A1], False),
        "nonascii": context([NONASCII_U, NONASCII_A, U2], True),
        "padded_content": context([PADDED_U, A1, U2], True),
    }
    if system_ok:
        cases["system_gen"] = context([SYSTEM, U1], True)
        cases["system_multi_turn"] = context([SYSTEM, U1, A1, U2], True)
        cases["system_nonascii_nogen"] = context([SYSTEM, NONASCII_U, NONASCII_A], False)
    return cases


def tool_cases():
    return {
        "tools_declared": context([SYSTEM, ASK_WEATHER], True, tools=TOOLS),
        "tools_no_system": context([ASK_WEATHER], True, tools=TOOLS),
        "tool_call_round_trip": context([SYSTEM, ASK_WEATHER, TOOL_CALL, TOOL_RESULT, AFTER_TOOL, U2], True, tools=TOOLS),
        "tool_call_two_results": context(
            [ASK_WEATHER,
             {"role": "assistant", "content": "Let me check.",
              "tool_calls": [TOOL_CALL["tool_calls"][0],
                             {"type": "function", "function": {"name": "get_time", "arguments": {"tz": "Asia/Shanghai"}}}]},
             TOOL_RESULT, {"role": "tool", "content": "12:00"}], True, tools=TOOLS),
    }


def cases_for(template: str) -> dict[str, dict]:
    specials = {
        "chatml": {},
        "smollm2": {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>"},
        "qwen2_5": {"bos_token": None, "eos_token": "<|im_end|>"},
        "qwen3": {"bos_token": None, "eos_token": "<|im_end|>"},
        "llama3_1": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "date_string": "26 Jul 2024"},
        "llama3_2": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "date_string": "21 Sep 2024"},
        "gemma3": {"bos_token": "<bos>", "eos_token": "<eos>"},
        "mistral_instruct": {"bos_token": "<s>", "eos_token": "</s>"},
        "phi3": {"bos_token": "<s>", "eos_token": "<|endoftext|>"},
        "deepseek_r1": {"bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>"},
    }[template]
    cases = basic_cases()
    if template in ("qwen2_5", "qwen3", "llama3_1", "llama3_2"):
        cases.update(tool_cases())
    if template == "qwen3":
        think = {"role": "assistant", "content": "<think>\nThe user greets me.\n</think>\n\nHi there!"}
        cases.update({
            "thinking_off": context([U1], True, enable_thinking=False),
            "thinking_on": context([U1], True, enable_thinking=True),
            "thinking_history": context([U1, think, U2], True),
            "thinking_last_turn": context([U1, A1, U2, think], False),
            "reasoning_content_field": context(
                [U1, {"role": "assistant", "content": "Hi!", "reasoning_content": "Be friendly."}, U2,
                 {"role": "assistant", "content": "4", "reasoning_content": "\n2+2=4\n"}], False),
            "tool_response_user_message": context(
                [U1, {"role": "user", "content": "<tool_response>\nx\n</tool_response>"}], True, enable_thinking=False),
        })
    if template == "llama3_1":
        cases.update({
            "builtin_tools": context([SYSTEM, U1], True, builtin_tools=["brave_search", "wolfram_alpha", "code_interpreter"]),
            "builtin_tool_call": context(
                [U1, {"role": "assistant", "tool_calls": [{"type": "function", "function": {
                    "name": "brave_search", "arguments": {"query": "weather 北京", "count": "3"}}}]},
                 {"role": "ipython", "content": {"results": ["sunny", 22]}}], True,
                builtin_tools=["brave_search", "wolfram_alpha"]),
            "tools_in_system": context([SYSTEM, ASK_WEATHER], True, tools=TOOLS, tools_in_user_message=False),
            "two_tool_calls_error": context([ASK_WEATHER, tool_cases()["tool_call_two_results"]["messages"][1]], True, tools=TOOLS),
            "tools_without_user_error": context([SYSTEM], True, tools=TOOLS),
        })
    if template == "gemma3":
        cases.update({
            "multimodal_content": context(
                [{"role": "system", "content": [{"type": "text", "text": "Describe images."}]},
                 {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": " What is this? "}]}], True),
            "not_alternating_error": context([U1, U2], True),
            "invalid_content_error": context([{"role": "user", "content": 42}], True),
        })
    if template == "mistral_instruct":
        cases.update({
            "tools": context([ASK_WEATHER], False, tools=TOOLS),
            "tool_call_round_trip": context(
                [SYSTEM, ASK_WEATHER, TOOL_CALL, TOOL_RESULT, AFTER_TOOL, U2], False, tools=TOOLS),
            "bad_tool_call_id_error": context(
                [ASK_WEATHER, {"role": "assistant", "tool_calls": [{"id": "x", "function": {"name": "f", "arguments": {}}}]}], False),
            "not_alternating_error": context([U1, U2], False),
            "unknown_role_error": context([U1, {"role": "critic", "content": "hm"}], False),
        })
    if template == "deepseek_r1":
        args = json.dumps({"city": "北京"}, ensure_ascii=False)
        call = {"type": "function", "function": {"name": "get_weather", "arguments": args}}
        cases.update({
            "thinking_stripped": context(
                [U1, {"role": "assistant", "content": "<think>\nhmm\n</think>\n\nHello!"}, U2], True),
            "tool_calls": context(
                [SYSTEM, {"role": "system", "content": "Second system part."}, ASK_WEATHER,
                 {"role": "assistant", "content": None, "tool_calls": [call, call]},
                 {"role": "tool", "content": "晴"}, {"role": "tool", "content": "22"},
                 {"role": "assistant", "content": "Sunny, 22."}, U2], True),
            "ends_in_tool_output": context(
                [ASK_WEATHER, {"role": "assistant", "content": "Checking.", "tool_calls": [call]},
                 {"role": "tool", "content": "晴"}], True),
            "no_add_generation_prompt_var": {k: v for k, v in context([U1], True).items() if k != "add_generation_prompt"},
        })
    for c in cases.values():
        c.update(specials)
    return cases


# ---- inline templates: expression, filter, test and whitespace semantics ---------------------------

VALUES = {"s": "Hello, World", "u": "héllo wörld ✓ 你好", "n": 7, "neg": -7, "f": 2.5, "big": 12345678901234,
          "fl": [3, 1, 2], "strs": ["b", "A", "c", "a"], "d": {"b": 1, "a": [1, 2], "c": {"x": None}},
          "msgs": [{"role": "user", "content": "hi", "n": 2}, {"role": "assistant", "content": "yo", "n": 1},
                   {"role": "user", "content": "ok", "n": 3}],
          "empty": [], "t": True, "nothing": None, "ws": " \t a b \n", "multi": "line one\nline two\n\nline four"}

INLINE = [
    ("literals", "{{ 1 }} {{ -2 }} {{ 1.0 }} {{ 0.1 }} {{ 1e-5 }} {{ 1e16 }} {{ 1.5e300 }} {{ 123456789.125 }} {{ true }} {{ none }} {{ 'a' 'b' }} {{ 0x1F }} {{ 1_000 }}"),
    ("repr", "{{ [1, 'a', none, true, 2.0, [], {}] }} {{ {'k': 'v', 'q': \"it's\"} }} {{ (1,) }} {{ (1, 2) }} {{ ['a\\nb', '\\\\'] }} {{ d }}"),
    ("arithmetic", "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 6 / 3 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 1 + 2 * 3 - 4 }} {{ -2 ** 2 }} {{ true + 1 }}"),
    ("strings_ops", "{{ 'ab' ~ 1 ~ none ~ 2.0 }} {{ 'x' * 3 }} {{ 3 * 'y' }} {{ [1] * 2 }} {{ [1] + [2] }} {{ s ~ undefined_thing }}"),
    ("comparisons", "{{ 1 < 2 < 3 }} {{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 'a' in 'cat' }} {{ 2 in fl }} {{ 'a' in d }} {{ 'z' not in d }} {{ 1 != 1 }} {{ none == none }} {{ d == {'b': 1, 'a': [1, 2], 'c': {'x': none}} }}"),
    ("logic", "{{ 0 or 'x' }} {{ 1 and 'y' }} {{ not empty }} {{ '' or [] or 0 }} {{ nothing or 'dflt' }} {{ 'a' if t else 'b' }} {{ 'a' if not t else 'b' }}|{{ 'a' if false }}|"),
    ("indexing", "{{ s[0] }} {{ s[-1] }} {{ s[::-1] }} {{ s[1:4] }} {{ s[:3] }} {{ s[7:] }} {{ s[::2] }} {{ u[1] }} {{ u[-2:] }} {{ u[::-1] }} {{ fl[-1] }} {{ fl[::-1] }} {{ fl[5] }}|{{ msgs[0].role }} {{ msgs[1]['content'] }} {{ d.a.1 }} {{ d['c'].x }}"),
    ("undefined", "[{{ missing }}] [{{ d.missing }}] {{ missing is defined }} {{ d.missing is undefined }} {{ missing | default('dv') }} {{ '' | default('e', true) }} {{ '' | d('e') }} {% for x in missing %}never{% endfor %}{{ missing | length }} {{ nothing | default('n') }}"),
    ("string_filters", "{{ ws | trim }}|{{ 'xxhixx' | trim('x') }}|{{ s | upper }}|{{ s | lower }}|{{ 'hello wORLD-foo(bar)' | title }}|{{ 'hELLO' | capitalize }}|{{ u | upper }}|{{ s | replace('l', 'L') }}|{{ s | replace('l', 'L', 1) }}|{{ u | length }}|{{ s | reverse }}|{{ 'ab' | list }}"),
    ("string_methods", "{{ ws.strip() }}|{{ s.lstrip('H') }}|{{ s.rstrip('dl') }}|{{ s.startswith('He') }} {{ s.endswith(('x', 'ld')) }}|{{ s.split(', ') }}|{{ ws.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ s.find('o') }} {{ s.rfind('o') }} {{ u.find('✓') }}|{{ s.count('l') }}|{{ s.title() }}|{{ s.upper() }}|{{ '-'.join(strs) }}|{{ '{} and {}'.format('x', 2) }}|{{ 'x'.replace('x', 'yy') }}"),
    ("list_filters", "{{ fl | first }} {{ fl | last }} {{ fl | length }} {{ fl | sort }} {{ strs | sort }} {{ strs | sort(reverse=true) }} {{ strs | sort(case_sensitive=true) }} {{ fl | reverse | list }} {{ strs | unique | list }} {{ fl | join('-') }} {{ fl | sum }} {{ fl | min }} {{ fl | max }} {{ empty | first }}|"),
    ("dict_filters", "{{ d | dictsort }} {{ d | items | list }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {{ d.keys() | list }} {{ d.get('b') }} {{ d.get('zz', 'fallback') }} {{ d | length }} {{ d | list }}"),
    ("select_map", "{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ msgs | rejectattr('role', 'eq', 'user') | list | length }} {{ msgs | map(attribute='n') | sum }} {{ msgs | sort(attribute='n') | map(attribute='content') | join(',') }} {{ fl | select('odd') | list }} {{ fl | reject('even') | list }} {{ strs | map('upper') | list }} {{ msgs | selectattr('missing', 'undefined') | list | length }} {{ [none, 1, 'a'] | select('none') | list }} {{ [none, 1, 'a'] | select('string') | list }} {{ msgs | map(attribute='zz', default='dz') | list }}"),
    ("numbers", "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(5) }} {{ 3.99 | int }} {{ '2.5' | float }} {{ 3 | float }} {{ neg | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 5 | round }} {{ big * 1000 }} {{ 10 / 4 }} {{ 1 / 3 }} {{ 2 / 3 * 3 }} {{ 0.1 + 0.2 }} {{ 100.0 * 3 }} {{ 1e22 }} {{ 1.0e-4 }}"),
    ("tests", "{{ n is odd }} {{ n is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ s is string }} {{ n is number }} {{ f is number }} {{ t is number }} {{ n is integer }} {{ f is float }} {{ d is mapping }} {{ fl is iterable }} {{ s is iterable }} {{ fl is sequence }} {{ t is boolean }} {{ t is true }} {{ false is false }} {{ nothing is none }} {{ 2 is in fl }} {{ 'user' is eq 'user' }} {{ n is gt 3 }} {{ n is lt 3 }} {{ missing is iterable }} {{ s is lower }} {{ 'abc' is lower }} {{ 'ABC' is upper }}"),
    ("tojson", "{{ d | tojson }}|{{ d | tojson(indent=2) }}|{{ msgs[0] | tojson(separators=(',', ':')) }}|{{ u | tojson }}|{{ u | tojson(ensure_ascii=true) }}|{{ {'z': 1, 'a': 2} | tojson(sort_keys=true) }}|{{ [1.0, 0.5, -0.0, 1e100, true, none] | tojson }}|{{ 'tab\\tquote\"back\\\\nl\\n\\x01\\x7f' | tojson }}|{{ [] | tojson(indent=4) }}|{{ {'e': {}, 'l': [[]]} | tojson(indent=1) }}"),
    ("loops", "{% for x in fl %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}/{{ loop.previtem }}/{{ loop.nextitem }}/{{ loop.cycle('a', 'b') }};{% endfor %}|{% for x in empty %}x{% else %}empty{% endfor %}|{% for x in fl if x > 1 %}{{ x }}{{ loop.index }}{{ loop.last }}{% endfor %}|{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}|{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}|{% for c in 'héj' %}{{ c }}.{% endfor %}|{% for k in d %}{{ k }}{% endfor %}|{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }}"),
    ("scoping", "{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 10 %}{{ x }};{% endfor %}{{ x }}|{% set ns = namespace(total=0, items=[]) %}{% for i in fl %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}|{% if true %}{% set y = 'set in if' %}{% endif %}{{ y }}|{% set a, b = 1, 'two' %}{{ a }}{{ b }}|{% set block %}captured {{ n }}{% endset %}{{ block }}|{% set up | upper %}shout{% endset %}{{ up }}|{% for i in [1] %}{% for j in [2, 3] %}{{ loop.index }}{{ i }}{{ j }}{% endfor %}{{ loop.length }}{% endfor %}|{% set messages = msgs[1:] %}{{ messages | length }}"),
    ("macros", "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', '?') }} {{ greet(name='Cy', punct='.') }}|{% macro rec(k) %}{% if k > 0 %}{{ k }}{{ rec(k - 1) }}{% endif %}{% endmacro %}{{ rec(5) }}|{% filter upper %}inside filter {{ s }}{% endfilter %}|{{ dict(a=1, b='x') }} {{ namespace(a=1).a }}"),
    ("whitespace", "A\n  {% if t %}\n    B\n  {% endif %}\nC\n{%- if t %} D {% endif -%}\nE {# comment #}\n  {#- c2 -#}  F\n{%+ if t %}G{% endif %}\n{{ 'H' }}\n  {{- ' I ' -}}  \nJ\n    {% for x in fl %}\n  {{ x }}\n    {% endfor %}\nK {% if t -%}  L  {%- endif %} M\n{% raw %}{{ not evaluated }}{% endraw %}\n"),
    ("whitespace_crlf", "line1\r\n{% if t %}\r\n  yes\r\n{% endif %}\r\nend\r\n"),
    ("lstrip_mid_line", "x {% if t %}y{% endif %} z\n\t {% if t %}tabbed{% endif %}\n{{ '  keep  ' }}   {% if t %}w{% endif %}"),
    ("multiline_strings", "{{ 'a\nb' }}|{{ \"it's\" }}|{{ 'say \"hi\"' }}|{{ 'unicode \\u00e9 \\U0001F600 \\x41' }}|{{ 'bs \\q \\\\' }}"),
    ("indent", "{{ multi | indent }}|{{ multi | indent(2, true) }}|{{ multi | indent('> ', first=true, blank=true) }}"),
    ("string_conversion", "{{ fl | string }} {{ 5 | string }} {{ nothing | string }} {{ t | string }} {{ 3.0 | string }} {{ [1.5, 'x'] | join(', ') }} {{ d.c }} {{ (1, 'a') }}"),
    ("raise", "before {{ raise_exception('Custom failure: ' ~ n) }} after"),
    ("unsafe_append", "{{ fl.append(4) }}"),
    ("undefined_attr_error", "{{ missing.attr }}"),
    ("none_attr", "[{{ nothing.attr }}][{{ nothing[0] }}][{{ n.real_thing }}]"),
    ("add_type_error", "{{ 'a' + 1 }}"),
    ("title_and_case", "{{ \"they're bill's friends from the UK\" | title }}|{{ \"they're bill's 1st\".title() }}|{{ 'ÉCOLE über' | lower }}|{{ 'mIxEd' | capitalize }}|{{ 'a-b c(d' | title }}"),
    ("float_repr", "{{ 1.5e-7 }} {{ 123456789012345678.0 }} {{ 1e15 }} {{ 0.000123 }} {{ -0.0 }} {{ 3.14159 }} {{ 1 / 7 }} {{ 2.5e-5 * 2 }} {{ 1e16 / 3 }} {{ 5e-324 }} {{ 1.7976931348623157e308 }} {{ [0.1, 2.0e-10] }}"),
    ("number_parsing", "{{ '0x1f' | int(base=16) }} {{ ' 12 ' | int }} {{ '1_000' | int }} {{ '-3.9' | int }} {{ 'inf' | float }} {{ '1e3' | float }} {{ true | int }} {{ none | int }} {{ '  -7  ' | float }} {{ 'nan' | float }} {{ '12abc' | int(-1) }}"),
    ("dict_iteration", "{% for k, v in d | dictsort(reverse=true) %}{{ k }}{% endfor %} {{ d.values() | list }} {{ d.items() | list }} {{ d | dictsort(by='value', case_sensitive=true) | first if false else 'skip' }} {% for k in d.keys() %}{{ loop.index }}{{ k }}{% endfor %}"),
    ("expressions_misc", "{{ 'a' if 0 else 'b' if 1 else 'c' }} {{ [1, 2, 3][1:] }} {{ (msgs | length) - 1 }} {{ -n | abs }} {{ not t == false }} {{ missing is not defined }} {{ nothing is not none }} {{ msgs | selectattr('n', 'gt', 1) | map(attribute='role') | join }} {{ msgs[-1].content ~ '!' }} {{ {'a': 1}['a'] }} {{ (1, 2)[0] }} {{ 'abc'[5:] }}|{{ fl[1:99] }} {{ fl[-99:1] }} {{ 10 - 2 - 3 }} {{ 2 * 3 % 4 }} {{ 2 * 3 ~ 'x' }}"),
    ("whitespace_nested", "{%- for m in msgs -%}\n  {%- if m.role == 'user' -%}\n    U:{{ m.content }}\n  {%- else -%}\n    A:{{ m.content }}\n  {%- endif %}\n{% endfor -%}\n  tail  \n{#- trailing comment -#}\n\n"),
    ("content_blocks", "{% set content = [{'type': 'text', 'text': 'a'}, {'type': 'image'}, {'type': 'text', 'text': 'b'}] %}{% for block in content %}{% if block.type == 'text' %}{{ block.text }}{% elif block['type'] == 'image' %}<img>{% endif %}{% endfor %}|{{ content | selectattr('type', 'equalto', 'text') | map(attribute='text') | join(' ') }}|{{ content | length }}|{{ content[1] is mapping }}"),
    ("generation_tag", "{% for m in msgs %}{% generation %}{{ m.content }}{% set inside = 1 %}{% endgeneration %}{% endfor %}[{{ inside }}]"),
]


def render_case(env, source: str, ctx: dict) -> dict:
    try:
        return {"expected": env.from_string(source).render(**ctx)}
    except jinja2.exceptions.TemplateError as e:
        return {"error": str(e)}
    except Exception as e:  # Python-level errors (TypeError…) are template errors for Hearth too
        return {"error": f"{type(e).__name__}: {e}"}


def extract_smollm2(path: str) -> None:
    from gguf import GGUFReader
    field = GGUFReader(path).fields["tokenizer.chat_template"]
    source = bytes(field.parts[field.data[0]])
    (TEMPLATES / "smollm2.jinja").write_bytes(source)
    print(f"wrote smollm2.jinja ({len(source)} bytes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extract-smollm2", metavar="GGUF")
    parser.add_argument("--out", default=str(GOLDEN))
    args = parser.parse_args()
    if args.extract_smollm2:
        extract_smollm2(args.extract_smollm2)
        return 0

    env = make_environment()
    entries = []
    for path in sorted(TEMPLATES.glob("*.jinja")):
        source = path.read_bytes().decode("utf-8")
        for case, ctx in cases_for(path.stem).items():
            entries.append({"template": path.stem, "case": case, "context": ctx, **render_case(env, source, ctx)})
    for case, source in INLINE:
        ctx = context([], False, **VALUES)
        entries.append({"template": "inline", "case": case, "source": source, "context": ctx,
                        **render_case(env, source, ctx)})
    golden = {"generator": "tests/make_template_golden.py",
              "jinja2_version": importlib.metadata.version("jinja2"),
              "cases": entries}
    Path(args.out).write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors = sum(1 for e in entries if "error" in e)
    print(f"wrote {len(entries)} cases ({errors} expecting errors) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
