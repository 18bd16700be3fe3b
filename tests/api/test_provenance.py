"""Every item the API returns says what it is (issue 16, item 1): sourced, translated, inferred, or a common
term without a source here. On the full graph, every read route the OpenAPI schema lists is called with an
example argument, the POST ones with an example body, and each object in each list of the answer, at any
depth, must carry a provenance with a kind."""

from __future__ import annotations

import pytest

from graph.query.results import LEVEL_TERMS

KINDS = {"sourced", "translated", "inferred", "common_term"}

# lists of objects that are not facts, so carry no kind of their own; each says why
NOT_FACTS = {
    # what an inferred item (a hit, a direction, a gap item) was matched on, quoted with that item's score:
    # it explains the item above it, whose provenance is its kind (the quoted node is shown with its own kind
    # where it is listed as an item: a profile's tasks)
    "evidence",
    # the classification's hierarchy above the occupation: plain code and name pairs, whose kind the profile
    # states once, in field_kinds["category_path"]
    "category_path",
    # the user's own text, split into sentences: what they sent, not a fact of the graph (the tasks and
    # skills found in a sentence carry their kinds)
    "sentences",
    # the user's own courses with the items matched to each (those carry their kinds)
    "courses",
}
# routes whose answers are about the service, not the classification
NOT_READ = {"/health", "/ready", "/admin/jobs/{job_id}"}

# an example for each path and query parameter the read routes take; a route with a parameter not listed
# here fails the test, so a new route is walked too
EXAMPLES = {
    ("/occupations/{name_or_code}", "name_or_code"): ["电子商务师", "信息安全测试员", "建筑信息模型技术员"],
    ("/special-abilities/{name_or_code}", "name_or_code"): ["4-04-05-Z1"],
    ("/skills/{name}/occupations", "name"): ["性能检测"],
    ("/directions/{name}/occupations", "name"): ["数据安全"],
    ("/search", "q"): ["渗透测试 漏洞", "外卖骑手"],
    ("/code", "title"): ["Java开发工程师", "普工"],
    ("/gap", "from"): ["信息安全测试员"],
    ("/gap", "to"): ["密码技术应用员"],
}
OPTIONAL = {
    "/occupations/{name_or_code}/career-paths": [{}, {"to": "密码技术应用员"}],
    "/search": [{}, {"labels": "Task,Skill,TitleDirection,WorkType"}],
}
COURSES = [
    {"title": "渗透测试实践", "description": "信息收集、漏洞扫描、漏洞验证与渗透测试报告"},
    {"title": "密码学应用", "description": "加密算法、数字证书、密码应用安全性评估"},
]
AD = "网络安全工程师\n岗位职责：\n1. 负责公司信息系统的渗透测试与漏洞扫描；\n2. 编写渗透测试报告，跟踪漏洞修复。\n任职要求：熟悉Python。"
BODIES = {
    "/curriculum/map": [{"courses": COURSES, "target": "信息安全测试员"}, {"courses": COURSES}],
    "/curriculum/heatmap": [{"courses": COURSES, "target": "信息安全测试员"}],
    "/analyze": [{"text": AD, "target": "信息安全测试员"}],
}


def unkinded(value, path: str = "$") -> list[str]:
    """The paths of the objects in lists of `value` that carry no provenance kind."""
    out = []
    if isinstance(value, dict):
        for key, v in value.items():
            if key not in NOT_FACTS:
                out += unkinded(v, f"{path}.{key}")
            elif isinstance(v, list):  # a list that is not a fact may hold facts
                for i, item in enumerate(v):
                    if isinstance(item, dict):
                        out += [p for k, x in item.items() for p in unkinded(x, f"{path}.{key}[{i}].{k}")]
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                kind = (item.get("provenance") or {}).get("kind")
                if kind not in KINDS:
                    out.append(f"{path}[{i}]")
            out += unkinded(item, f"{path}[{i}]")
    return out


def examples(route: str, name: str) -> list[str]:
    """The examples of a parameter: the route's own, or those of the route it extends (/occupations/{…}/similar)."""
    for (prefix, param), values in EXAMPLES.items():
        if param == name and (route == prefix or route.startswith(prefix + "/")):
            return values
    raise AssertionError(f"no example for {route} {name}: add one to EXAMPLES")


def calls(schema: dict) -> list[tuple[str, str, dict]]:
    """(method, url, params or body) for every read route of the schema."""
    out = []
    for route, ops in schema["paths"].items():
        if route in NOT_READ:
            continue
        if "get" in ops:
            params = [p for p in ops["get"].get("parameters", []) if p.get("required")]
            query = [p["name"] for p in params if p["in"] == "query"]
            values = {p["name"]: examples(route, p["name"]) for p in params}
            for i in range(max(map(len, values.values()), default=1)):
                pick = {name: v[i % len(v)] for name, v in values.items()}
                url = route.format_map(pick)
                for extra in OPTIONAL.get(route, [{}]):
                    out.append(("get", url, {**{q: pick[q] for q in query}, **extra}))
        elif "post" in ops and not route.startswith("/admin"):
            assert route in BODIES, f"no example body for {route}: add one to BODIES"
            out += [("post", route, body) for body in BODIES[route]]
    return out


@pytest.mark.full
def test_every_item_of_every_read_route_has_a_kind(full_client):
    walked = calls(full_client.app.openapi())
    assert len({url for _, url, _ in walked}) >= 18
    bad = {}
    for method, url, args in walked:
        r = full_client.get(url, params=args) if method == "get" else full_client.post(url, json=args)
        assert r.status_code == 200, (url, args, r.text[:300])
        if missing := unkinded(r.json()):
            bad[f"{method.upper()} {url} {args}"] = missing[:5]
    assert not bad, bad


@pytest.mark.full
def test_inferred_items_say_how_and_sourced_ones_where(full_client):
    p = full_client.get("/occupations/电子商务师").json()
    assert {t["provenance"]["kind"] for t in p["tasks"] if t["lang"] == "zh"} == {"sourced"}
    assert all(t["provenance"]["source"] for t in p["tasks"])
    assert {s["provenance"]["kind"] for s in p["skills"]} == {"inferred"}
    assert all(s["provenance"]["method"] and s["provenance"]["version"] for s in p["skills"])
    assert p["field_kinds"]["title_directions"]["kind"] == "inferred"
    assert p["field_kinds"]["definition"]["kind"] == "sourced"
    assert all(b["provenance"]["source"] for b in p["batches"])
    for d in full_client.get("/occupations/密码技术应用员/title-directions").json()["directions"]:
        assert d["provenance"]["kind"] == "inferred" and d["provenance"]["version"]
    hits = full_client.get("/search", params={"q": "渗透测试", "labels": "Occupation"}).json()["results"]
    assert {h["provenance"]["method"] for h in hits} == {
        "hybrid search: vector, lexical, name and title channels fused"
    }
    assert all(h["provenance"]["score"] == h["confidence"] for h in hits)
    similar = full_client.get("/occupations/电子商务师/similar").json()["results"]
    assert all(s["provenance"]["kind"] == "inferred" and s["provenance"]["version"] for s in similar)
    batches = full_client.get("/batches").json()["batches"]
    assert all(o["provenance"]["source"] for b in batches for o in b["occupations"])


@pytest.mark.full
def test_level_names_are_numerals_with_the_common_term_marked(full_client):
    """004 gives levels as numerals (五级 … 一级): the names 初级工 … 高级技师 are a common term, no source here."""
    paths = full_client.get("/occupations/电子商务师/career-paths").json()
    # its own catalog row's levels (004:33 4、3、2), not the union with its work types' 5 (issue 16, item 3)
    assert [s["from_name"] for s in paths["skill_ladder"]] == ["四级", "三级"]
    assert [s["to_name"] for s in paths["skill_ladder"]] == ["三级", "二级"]
    assert not any(s["of_work_types"] for s in paths["skill_ladder"])
    terms = [s["to_term"] for s in paths["skill_ladder"]]
    assert [t["term"] for t in terms] == ["高级工", "技师"]
    assert {t["provenance"]["kind"] for t in terms} == {"common_term"}
    p = full_client.get("/occupations/电子商务师").json()
    assert [(t["rank"], t["term"]) for t in p["level_terms"]] == [(r, LEVEL_TERMS[r]) for r in p["all_levels"]]
