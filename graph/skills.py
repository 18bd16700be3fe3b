"""The skill vocabulary and Task → Skill links.

Vocabulary (reviewable, in data/skills.csv): the title directions' work areas, plus terms
proposed from the task texts — object + activity compounds that jieba finds in at least two
occupations' tasks (数据 + 分析 → 数据分析, 故障 + 诊断 → 故障诊断), and longer compound nouns.
`zhiye skills propose` regenerates the proposal; the reviewed file is what builds read.

Links: lexical (the skill's name occurs in the task; evidence is the matched span) and, for
tasks without a lexical match or in English, semantic (cosine between the task's and the
skill's embeddings above a threshold; evidence is the skill name). Both are deterministic.
"""
from __future__ import annotations

import csv
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from graph.errors import SourceFormatError
from graph.model import Source

# the activity heads that make an object noun into a skill: 数据 + 分析, 设备 + 维修 …
ACTIVITY_HEADS = frozenset(
    "分析 检测 测试 诊断 维修 设计 开发 管理 评估 监测 调试 安装 操作 维护 保养 检验 检查 编程 建模 加工 "
    "处理 规划 咨询 培训 运营 营销 销售 策划 制作 施工 测量 监控 治疗 护理 评价 审核 核算 统计 鉴定 修复 "
    "养护 防治 驾驶 焊接 装配 配置 运维 预测 采集 标注 识别 防护 控制 优化 调度 协调 检修 巡检 化验 翻译 "
    "编辑 审计 研发 集成 部署 仿真 计量 认证 评测 管控".split())
NOUN_FLAGS = frozenset({"n", "nz", "vn", "eng", "nt", "nl", "an", "j"})
# generic compounds that name no skill a person could learn or lack
STOP_TERMS = frozenset(
    "异常现象 专用设备 仪器仪表 专用工具 仪器设备 机械设备 管理工作 异常情况 突发事件 技术手段 有效证件 工作场地 "
    "内部结构 运行状况 设备运行 系统运行 技术指标 技术参数 质量指标 经济指标 性能指标 使用性能 相关工作 工作任务 "
    "实施方案 设计方案 解决方案 技术标准 技术规程 规章制度 管理制度 法律法规 行业标准 标准规范 设计规范 工程项目 "
    "建设项目 工程技术 总结报告 科学知识 合法权益 分析处理 检查维护 调节控制 生产运行".split())
MIN_OCCUPATIONS = 2
# centred cosine (graph.derive.centred), read off samples per score band: below 0.5 most links
# name an object the task handles rather than a skill it needs; English tasks × Chinese skills
# score about 0.55× as high (the same attenuation the title directions use)
SEMANTIC_THRESHOLD = 0.50
CROSS_LINGUAL = 0.55
SEMANTIC_PER_TASK = 1


@dataclass(frozen=True)
class SkillTerm:
    name_zh: str
    kind: str  # work_area | task_term
    occupations: int
    example: str
    source: Source


def _tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def propose(tasks: Iterable[tuple[str, str, str]], work_areas: Iterable[str]) -> list[SkillTerm]:
    """Candidate skills from (occupation id, task id, text) triples, most widespread first."""
    tokenizer = _tokenizer()
    seen_in: dict[str, set[str]] = defaultdict(set)
    example: dict[str, str] = {}
    for occupation, task_id, text in tasks:
        tokens = list(tokenizer.cut(text))
        terms = [a.word + b.word for a, b in zip(tokens, tokens[1:])
                 if a.flag in NOUN_FLAGS and len(a.word) >= 2 and b.word in ACTIVITY_HEADS]
        terms += [t.word for t in tokens if t.flag in NOUN_FLAGS and len(t.word) >= 4]
        for term in terms:
            if term not in STOP_TERMS:
                seen_in[term].add(occupation)
                example.setdefault(term, task_id)
    areas = set(work_areas)
    out = [SkillTerm(t, "task_term", len(occ), example[t], Source(file="tasks"))
           for t, occ in seen_in.items() if len(occ) >= MIN_OCCUPATIONS and t not in areas]
    return sorted(out, key=lambda s: (-s.occupations, s.name_zh))


def write_vocabulary(path: Path, terms: list[SkillTerm]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name_zh", "kind", "occupations", "example_task"])
        for t in terms:
            w.writerow([t.name_zh, t.kind, t.occupations, t.example])


def load_vocabulary(path: Path) -> list[SkillTerm]:
    if not path.is_file():
        return []
    terms = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"name_zh", "kind"} <= set(reader.fieldnames or []):
            raise SourceFormatError(path.name, 1, "columns name_zh, kind, occupations, example_task")
        for row in reader:
            name = row["name_zh"].strip()
            if not name or row["kind"] not in ("task_term", "work_area"):
                raise SourceFormatError(path.name, reader.line_num, "a name and kind task_term|work_area", str(row))
            terms.append(SkillTerm(name, row["kind"], int(row.get("occupations") or 0), row.get("example_task", ""),
                                   Source(file=path.name, line=reader.line_num)))
    return terms


@dataclass(frozen=True)
class SkillLink:
    task_id: str
    skill_id: str
    method: str  # lexical | semantic
    score: float
    evidence: str


class LexicalLinker:
    """Finds skill names in task texts, longest first, without overlaps."""

    def __init__(self, skills: dict[str, str]):  # name → skill id
        self.skills = skills
        names = sorted(skills, key=lambda n: (-len(n), n))
        # one alternation compiled once; longest-first so 数据安全分析 beats 数据安全
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def links(self, task_id: str, text: str) -> list[SkillLink]:
        if self.pattern is None:
            return []
        found: dict[str, SkillLink] = {}
        for m in self.pattern.finditer(text):
            sid = self.skills[m.group(0)]
            found.setdefault(sid, SkillLink(task_id, sid, "lexical", 1.0, f"{m.group(0)}@{m.start()}-{m.end()}"))
        return list(found.values())


def semantic_links(task_ids: list[str], task_vectors: np.ndarray, skill_ids: list[str], skill_names: list[str],
                   skill_vectors: np.ndarray, thresholds: list[float], per_task: int = SEMANTIC_PER_TASK) -> list[SkillLink]:
    """Each task's closest skills by cosine, kept when above the task's threshold."""
    links = []
    for start in range(0, len(task_ids), 2048):
        sims = task_vectors[start:start + 2048] @ skill_vectors.T
        top = np.argsort(-sims, axis=1, kind="stable")[:, :per_task]
        for row, cols in enumerate(top):
            for col in cols:
                score = float(sims[row, col])
                if score >= thresholds[start + row]:
                    links.append(SkillLink(task_ids[start + row], skill_ids[col], "semantic", round(score, 4),
                                           skill_names[col]))
    return links
