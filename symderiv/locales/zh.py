"""中文：每条法则的名称与依据，以及文档中的文字。

模板用花括号标出数学内容（``{law}``、``{f}``、``{constant}`` 等），各字段的含义见
:data:`symderiv.locales.FIELDS`。
"""

from __future__ import annotations

from .locale import Locale

NAME = "中文"

_TABLE_NAMES = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
    "acsc": "arccsc", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "coth": "coth",
    "sech": "sech", "csch": "csch", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh",
    "acoth": "arcoth",
}

RULES: dict[str, tuple[str, str]] = {
    "constant": ("常数的导数", "{f} 与 {variable} 无关，所以它的导数为 0。"),
    "identity": ("自变量的导数", "{variable} 对自身求导等于 1。"),
    "sum": ("和的求导法则", "和的导数等于导数的和：逐项求导。"),
    "constant_multiple": ("常数倍法则", "常数因子可以提到求导符号外面，这里的常数是 {constant}。"),
    "product": (
        "乘积法则",
        "每次只对一个因子求导，其余因子保持不变，再把各项相加：{law}。",
    ),
    "quotient": ("商的求导法则", "其中分子为 {numerator}，分母为 {denominator}：{law}。"),
    "reciprocal": ("倒数的求导法则", "应用于分母 {denominator}：{law}。"),
    "power": ("幂函数求导", "把指数 {exponent} 提到前面，指数减一：{law}。"),
    "sqrt": ("平方根求导", "平方根就是 1/2 次幂，所以 {law}。"),
    "root": ("n 次方根求导", "n 次方根就是 1/n 次幂，所以 {law}。"),
    "exp": ("指数函数求导", "求导后保持不变：{law}。"),
    "exponential": ("指数函数求导", "以 {base} 为底的指数函数：{law}。"),
    "log": ("对数函数求导", "对数的导数等于自变量的倒数：{law}。"),
    "log_differentiation": ("对数求导法", "底数和指数都随自变量变化，先取对数再求导：{law}。"),
    **{rule: (f"{name} 的导数", "由基本求导公式，{law}。") for rule, name in _TABLE_NAMES.items()},
    "tanh": ("tanh 的导数", "可以用 tanh 自身表示：{law}。"),
    "abs": ("绝对值求导", "{law}。绝对值在 0 处有尖点，在那里不可导。"),
    "sigmoid": ("sigmoid 函数求导", "sigmoid 函数的导数可以用它自身表示：{law}。"),
    "softplus": ("softplus 函数求导", "softplus 函数的导数正是 sigmoid 函数：{law}。"),
    "relu": (
        "ReLU 求导",
        "ReLU 在输入为正时斜率为 1，为负时斜率为 0：{law}。在拐点 0 处取 0，与 NumPy 和 PyTorch 的做法一致。",
    ),
    "heaviside": ("阶跃函数求导", "阶跃函数在 0 的两侧都是常数：{law}。"),
    "floor": ("向下取整函数求导", "向下取整函数在相邻整数之间是常数，在每个整数处跳跃（那里不可导）：{law}。"),
    "ceiling": ("向上取整函数求导", "向上取整函数在相邻整数之间是常数，在每个整数处跳跃（那里不可导）：{law}。"),
    "sign": ("符号函数求导", "符号函数在 0 的两侧都是常数（−1 和 1）：{law}。"),
    "piecewise": ("分段函数求导", "在各自的区间上分别对每一段求导：{law}。"),
    "max": ("max 求导", "max 跟随较大的那个自变量：{law}。"),
    "min": ("min 求导", "min 跟随较小的那个自变量：{law}。"),
    "chain": (
        "链式法则",
        "先把外层函数 {outer} 对 {name} 求导，再乘以内层函数 {inner} 的导数：{law}。",
    ),
    "sympy": ("由 SymPy 求导", "没有现成的法则适用于 {f}，这一步的导数由 SymPy 计算，再由 symderiv 验证。"),
    "derivatives": (
        "各部分的导数",
        "把每个导数换成它的值（推导见下）：{values}。",
    ),
    "higher_order": (
        "再求一次导",
        "高阶导数是前一阶导数的导数：先把一阶导数换成它的值（推导见下），{values}，其余的导数再对它求：{law}。",
    ),
    "substitute": ("回代", "把换元代回原式（{values}），式子就只含 {wrt}。"),
    "simplify": ("化简", "合并同类项并约分。"),
    "expand": ("展开", "把乘积乘开并合并同类项。"),
    "factor": ("提取公因式", "把各项共有的因式提到括号外。"),
    "scale_fraction": ("分子分母同乘一个因子", "分子和分母同乘以非零因子 {factor}。"),
    "add_subtract": ("加一项再减一项", "在分子中加上再减去 {term}，值不变。"),
    "split_fraction": ("拆分分式", "把一个分式写成两个因式的乘积：{law}。"),
    "recognize_sigmoid": ("写成 sigmoid 函数", "根据 sigmoid 函数的定义 {law}，写成 {sigmoid}。"),
    "sigmoid_complement": ("写成 1 减去 sigmoid 函数的形式", "利用 {law} 改写。"),
    "trig_identities": ("利用三角恒等式", "用正弦和余弦表示，并利用 {law} 化简。"),
    "softmax_component": ("写成 softmax 的分量", "给 softmax 的分量命名：{law}。"),
}

WORDS: dict[str, str] = {
    "fallback": "{law}。",
    "introduces": "令 {introduces}。",
    "constants": "这里把 {constants} 视为常数。",
    "title": "{expr} 的导数",
    "statement": "求 {expr} 对 {wrt} 的导数。",
    "statement_partial": "求 {expr} 对 {wrt} 的偏导数（把 {others} 视为常数）。",
    "title_higher": "导数 {derivative}",
    "statement_higher": "逐次求导计算 {derivative}：每一次都对前一次的结果求导。",
    "steps": "推导过程",
    "step": "第 {n} 步",
    "result": "结果",
    "result_line": "因此 {equation}。",
    "where": "其中 {substitutions}",
    "proof_identical": "已验证：把其中的导数都求出后，两边是同一个表达式，且在 {points} 个随机点上 {digits} 位数字一致",
    "proof_symbolic": "已验证：两边之差化简为 0，且在 {points} 个随机点上 {digits} 位数字一致",
    "proof_numeric": "已验证：在 {points} 个随机点上 {digits} 位数字一致",
    "proven": "以上每一步都经过 symderiv 验证。",
    "rule": "法则",
    "notes": "各步的依据",
    "languages": "语言",
    "formats": "格式",
    "contents": "目录",
    "index_title": "symderiv：逐步推导",
    "index_intro": "逻辑回归与反向传播中的公式，一次应用一条法则推导出来，每一步都经过验证，提供四种语言、四种格式。",
    "plot_sigmoid": (
        "sigmoid 函数 $\\sigma$ 及其导数 $\\sigma' = \\sigma (1 - \\sigma)$。斜率在 0 处最大，$\\sigma'(0) = \\frac{1}{4}$："
        "经过 sigmoid 的梯度会缩小到原来的四分之一或更小。"
    ),
    "plot_exp_log": (
        "指数函数 $e^{x}$ 经过点 (0, 1)，单调递增且无上界；对数函数 $\\log x$ 是它的镜像。"
        "概率的 $-\\log$ 就是交叉熵损失。"
    ),
    "doc_sigmoid_quotient": "用商的求导法则求 sigmoid 函数的导数",
    "doc_sigmoid_quotient_intro": (
        "sigmoid 函数 $\\sigma(x) = \\frac{1}{1 + e^{-x}}$ 是一个分式，所以先用商的求导法则，"
        "再在分子中加 1 减 1，直到 $\\sigma(x)$ 出现两次。"
    ),
    "doc_sigmoid_chain": "用链式法则求 sigmoid 函数的导数",
    "doc_sigmoid_chain_intro": (
        "把 sigmoid 函数分层写成 $f = u^{-1}$、$u = 1 + e^{v}$、$v = -x$，再把各层的导数相乘："
        "$\\frac{\\mathrm{d}f}{\\mathrm{d}x} = \\frac{\\mathrm{d}f}{\\mathrm{d}u} \\cdot \\frac{\\mathrm{d}u}{\\mathrm{d}v} \\cdot \\frac{\\mathrm{d}v}{\\mathrm{d}x}$。"
    ),
    "doc_sigmoid_reciprocal": "令 $t = 1 + e^{-x}$ 求 sigmoid 函数的导数",
    "doc_sigmoid_reciprocal_intro": (
        "令分母 $t = 1 + e^{-x}$，则 $y = 1/t$；由倒数的求导法则得 $\\frac{\\mathrm{d}y}{\\mathrm{d}t} = -\\frac{1}{t^{2}}$，再用链式法则完成推导。"
    ),
    "doc_cross_entropy_z": "交叉熵损失对 logit 的梯度",
    "doc_cross_entropy_z_intro": (
        "对预测值 $a = \\sigma(z)$ 和标签 y，损失为 $L = -\\left(y \\log a + (1 - y) \\log(1 - a)\\right)$。"
        "它对 z 的导数就是著名的 $a - y$。"
    ),
    "doc_cross_entropy_w": "交叉熵损失对权重的梯度",
    "doc_cross_entropy_w_intro": "令 $z = w x + b$，把同一个损失对权重 w 求导，得到 $x (a - y)$：误差乘以输入。",
    "doc_sigmoid_squared": "$\\sigma^{2}$ 的导数",
    "doc_sigmoid_squared_intro": (
        "链式法则与 sigmoid 函数的导数结合：$y = \\sigma^{2}(x)$ 的导数是 $2 \\sigma(x) \\cdot \\sigma(x) \\left(1 - \\sigma(x)\\right)$；"
        "在 $x = 2$ 处为 0.1850，与自动求导的结果一致。"
    ),
    "doc_relu": "ReLU 的导数",
    "doc_relu_intro": (
        "$\\operatorname{ReLU}(x) = \\max(0, x)$ 让正的输入原样通过，其余的输入变为 0；它的导数是阶跃函数 $H(x)$，"
        "在拐点 $x = 0$ 处取 0。"
    ),
    "doc_tanh": "tanh 的导数",
    "doc_tanh_intro": "双曲正切函数 tanh 与 sigmoid 函数一样，其导数可以用自身表示。",
    "doc_softplus": "softplus 函数的导数",
    "doc_softplus_intro": "softplus 函数 $\\log(1 + e^{x})$ 是平滑的 ReLU，它的导数恰好是 sigmoid 函数。",
}

# 计算图的反向传播 (symderiv.models.graph)。
RULES["backward_node"] = (
    "节点的反向传播",
    "经过节点 {node} 的反向传播：到达该节点的梯度 {gradient} 乘以局部梯度 {local}，再传给每个输入；"
    "沿多条路径到达同一输入的梯度相加。",
)

# 分层神经网络与反向传播 (symderiv.models.network)。
RULES["weighted_sum"] = (
    "加权和的导数",
    "{f} 是加权和 {law}：只有含 {variable} 的那一项依赖于它，所以导数是 {result}。",
)
RULES["activation"] = ("激活值的记号", "把激活值写成它的名字（{law}）：{part} = {result}。")
RULES["backprop"] = (
    "经过一层的反向传播",
    "权重经过下一层的每个单元影响损失，所以链式法则把这些路径相加：{law}。",
)
RULES["delta"] = (
    "单元的误差 δ",
    "把每个单元的误差记为 δ = ∂E/∂z，从输出层往回计算：{law}。这里 {part} = {result}。",
)
RULES["output_delta"] = ("输出层的误差", "在输出层，局部导数合在一起化简为：{law}。")
RULES["matrix_elementwise"] = (
    "逐个元素看的矩阵形式",
    "逐个元素看，这是经过 z = Θa 的链式法则；所有元素合在一起就是一个矩阵乘积：{law}。",
)
RULES["bias_unit"] = (
    "偏置单元",
    "Θ⁽ˡ⁾ 是 [b W]，第一列是偏置；a⁽ˡ⁾ 以常数 1 开头，所以对 Wa + b 推导出的规则用整个 Θ 写成：{law}。",
)
RULES["regularization"] = (
    "正则化项的导数",
    "正则化项 {f} 是除偏置权重以外所有权重的平方和：{law}。对 {variable} 求导得到 {result}。",
)
RULES["log_softmax"] = ("softmax 的对数", "可以拆成两项：{law}。")
RULES["targets_sum_to_one"] = (
    "目标值之和为 1",
    "one-hot（或概率）目标值加起来等于 1，所以 log-sum-exp 项只剩一次：{law}。",
)

# 计算图、神经网络与梯度消失的文档 (symderiv.documents)。
WORDS.update({
    'doc_sigmoid_slope': "梯度消失的原因：sigmoid 函数的斜率不超过 1/4",
    'doc_sigmoid_slope_intro': "对 $\\sigma' = \\sigma (1 - \\sigma)$ 再求一次导数，得 $\\sigma'' = \\sigma (1 - \\sigma)(1 - 2\\sigma)$，它在 $(0, 1)$ 内只在 $\\sigma = \\frac{1}{2}$ 即 $x = 0$ 处为零。那里斜率最大，$\\sigma'(0) = \\frac{1}{4}$，因此经过 $n$ 个 sigmoid 层的梯度最多变为原来的 $(\\frac{1}{4})^{n}$：这就是梯度消失的论证（资料 004）。",
    'doc_sigmoid_graph': "通过计算图求 sigmoid 函数的导数",
    'doc_sigmoid_graph_intro': "把 sigmoid 函数画成 $\\times(-1)$、$\\exp$、$+1$、$\\div$ 四个节点（资料 000）。反向传播从输出开始沿图往回走：$\\div$ 节点把梯度乘以 $-y^{2}$，$+$ 节点原样传递，$\\exp$ 节点乘以 $e^{-x}$，$\\times(-1)$ 节点乘以 $-1$，最后得到 $y (1 - y)$。",
    'doc_shared_paths': "反向传播为什么保存偏导数：通向同一变量的两条路径",
    'doc_shared_paths_intro': "在 $e = (a + b)(b + 1)$ 中令 $c = a + b$，$d = b + 1$（资料 001），$b$ 通过两条路径到达 $e$。从 $e$ 反向计算时，每个局部导数只算一次，两条路径传来的梯度相加：$\\frac{\\partial e}{\\partial b} = d + c$。当 $a = 2$，$b = 1$ 时：$e = 6$，$\\frac{\\partial e}{\\partial a} = 2$，$\\frac{\\partial e}{\\partial b} = 5$。",
    'doc_network_output_weight': "神经网络的损失函数：输出层权重的梯度",
    'doc_network_output_weight_intro': "资料 001 中的三层 sigmoid 网络，带正则化的交叉熵损失 $J(\\Theta)$。对输出层的权重，链式法则经过 $a^{(3)} = \\sigma(z^{(3)})$ 和 $z^{(3)} = \\sum \\theta a^{(2)}$，得到 $\\frac{1}{m}(a^{(3)} - y)\\, a^{(2)}$，再加上正则化项 $\\frac{\\lambda}{m}\\theta$。",
    'doc_network_hidden_weight': "神经网络的损失函数：隐藏层权重的梯度与 δ",
    'doc_network_hidden_weight_intro': "对隐藏层的权重，链式法则还要继续经过 $z^{(2)}$；该层所有权重共用的部分记作 $\\delta^{(2)}$，只计算一次：$\\delta^{(3)} = a^{(3)} - y$，$\\delta^{(2)} = (\\Theta^{(2)})^{T} \\delta^{(3)} \\odot a^{(2)} (1 - a^{(2)})$（资料 001）。",
    'plot_graph_sigmoid': "$x = 1$ 处 $\\frac{1}{1 + e^{-x}}$ 的计算图：每个节点标出它的值和传到它的梯度，每条边标出局部梯度。",
    'plot_graph_shared': "$a = 2$，$b = 1$ 处 $e = (a + b)(b + 1)$ 的计算图：$b$ 经过 $c$ 和 $d$ 两条路径到达 $e$。",
})

# symderiv serve 的网页 (symderiv.web)。
WORDS.update({
    "web_tagline": "输入一个式子，阅读它的求导过程，每一步都经过证明。",
    "web_formula": "式子",
    "web_notation": "写法",
    "web_text": "文本",
    "web_latex": "LaTeX",
    "web_variable": "变量",
    "web_variable_hint": "留空：式子中唯一的变量",
    "web_strategy": "路线",
    "web_detail": "详细程度",
    "web_language": "语言",
    "web_derive": "求导",
    "web_examples": "例子",
    "web_check": "检查我的答案",
    "web_answer": "你的导数",
    "web_check_button": "检查",
    "web_right": "正确：{answer} 是 {expr} 对 {wrt} 的导数。",
    "web_method_identical": "它与导数是同一个表达式。",
    "web_method_symbolic": "它与导数之差化简后为 0。",
    "web_method_numeric": "它与导数在 {points} 个点上精确到 30 位一致。",
    "web_wrong": "错误：{answer} 不是 {expr} 对 {wrt} 的导数。",
    "web_true": "导数是 {result}。",
    "web_counterexample": "反例：在 {point} 处，你的答案是 {yours}，导数是 {true}。",
    "web_departs": (
        "你的答案在第 {step} 步（{rule}）偏离：那里 {node} = {correct}，"
        "而把 {node} 当作 {yours} 时就会得到你的答案。"
    ),
    "web_no_departure": "无法用某一步的单个错误来解释你的答案。",
    "web_downloads": "下载",
    "web_permalink": "永久链接",
    "web_api": "JSON API",
    "web_graph": "计算图",
    "web_error": "无法读取输入",
    "web_limit": "超出了一次请求所能处理的范围",
    "web_busy": "服务器繁忙",
    "web_internal": "symderiv 内部出错（请报告）",
    "web_not_found": "没有这个页面",
})


# The matrix-calculus documents (symderiv.documents).
WORDS.update({
    "doc_logistic_matrix": "矩阵形式的逻辑回归：$\\frac{\\partial J}{\\partial \\mathbf{w}} = \\frac{1}{m} \\mathbf{X}^{T} (\\sigma(\\mathbf{X} \\mathbf{w}) - \\mathbf{y})$",
    "doc_logistic_matrix_intro": "对 $\\mathbf{X}$ 的各行即 m 个样本取平均的交叉熵，用全为 1 的列向量以及逐元素取的对数和 sigmoid 来写。按照矩阵手册（Matrix Cookbook）的做法求微分，直到写成 $\\mathrm{d}J = \\operatorname{tr}(\\mathbf{G}^{T} \\mathrm{d}\\mathbf{w})$，梯度就是 $\\mathbf{G}$。梯度采用分母布局：梯度与变量同形，这里是列向量 $\\mathbf{w}$ 的形状。",
    "doc_softmax_regression": "softmax 回归：$\\frac{\\partial L}{\\partial \\mathbf{W}} = (\\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}) \\mathbf{x}^{T}$",
    "doc_softmax_regression_intro": "对一个样本 $\\mathbf{x}$ 和 one-hot 目标值 $\\mathbf{y}$，损失为 $L = -\\mathbf{y}^{T} \\log \\operatorname{softmax}(\\mathbf{z})$，其中 $\\mathbf{z} = \\mathbf{W} \\mathbf{x} + \\mathbf{b}$。经过 log softmax 的微分，并利用目标值之和为 1，输出层的误差是 $\\delta = \\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}$，梯度是 $\\delta \\mathbf{x}^{T}$，与 $\\mathbf{W}$ 同形（分母布局）。",
})

# Matrix calculus (symderiv.calculus.matrix).
RULES.update({
    'matrix_differential': ('通过微分', '先求微分 df，它对 d{wrt} 是线性的；写成 tr(Gᵀ d{wrt}) 之后，梯度就是 G：{law}。'),
    'differential_linear': ('线性表达式的微分', '表达式对变量是线性的，所以把变量换成它的微分并去掉常数项：{law}。'),
    'differential_sum': ('和的微分', '逐项求微分，常数因子保留，常数的微分为 0：{law}。'),
    'matrix_product': ('矩阵乘积法则', '矩阵乘法不可交换，所以保持因子的顺序，一次微分一个因子：{law}。'),
    'differential_transpose': ('转置的微分', '转置是线性的：{law}。'),
    'differential_trace': ('迹的微分', '迹是线性的：{law}。'),
    'differential_inverse': ('逆矩阵的微分', '用乘积法则对 U U⁻¹ = I 求微分：{law}。'),
    'differential_det': ('行列式的微分', '雅可比公式：{law}。'),
    'differential_log_det': ('log det 的微分', '雅可比公式除以 det U：{law}。'),
    'elementwise_chain': ('逐元素的链式法则', '函数分别作用于每个元素，所以每个元素乘以各自的斜率：用阿达马积 ⊙ 写的链式法则，{law}。斜率 f′ 在下面推导。'),
    'hadamard_product': ('⊙ 的乘积法则', '逐个元素看就是数的乘积法则：{law}。'),
    'differential_scalar_chain': ('标量的链式法则', '一个标量的函数：{law}；它的导数在下面推导。'),
    'differential_softmax': ('softmax 的微分', 'softmax 的雅可比矩阵是 diag(s) − s sᵀ：{law}。'),
    'differential_log_softmax': ('log softmax 的微分', 'log softmax(z) = z − 1·log(1ᵀeᶻ)，所以 {law}。'),
    'trace_form': ('迹的形式', '标量等于它的迹；用迹的循环性和 ⟨A, B ⊙ C⟩ = ⟨A ⊙ B, C⟩ 把微分周围的一切移到左边：{law}。'),
    'matrix_gradient': ('读出梯度', '{law}：梯度与变量同形（分母布局）。'),
    'target_sum': ('目标值之和为 1', 'one-hot（或概率）目标值加起来等于 1：{law}。'),
    'elementwise_simplify': ('逐元素化简', '逐个元素看，+ 和 ⊙ 就是数的加法和乘法，所以像数一样化简：{law}。'),
})

# Everything else symderiv knows about the language (see symderiv.locales.locale.Locale).
LOCALE = Locale(
    code="zh",
    name=NAME,
    rules=RULES,
    words=WORDS,
    sentence_gap="",  # a full-width stop ends a sentence; no space follows it
    otherwise="其他",
    tex_fonts=("Noto Serif CJK SC", "Noto Sans CJK SC", "FandolSong"),  # fonts-noto-cjk on Debian, then TeX Live's own
    page_font="Noto Serif CJK SC",
)

WORDS["backprop_rules"] = "用矩阵微积分推导的规则（每一步都逐个元素证明）"
