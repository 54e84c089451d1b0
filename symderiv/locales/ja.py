"""日本語: 各規則の名前と根拠、文書の言葉。

数式は波括弧の欄（``{law}``、``{f}``、``{constant}`` など）で示す。各欄の中身は
:data:`symderiv.locales.FIELDS` を参照。
"""

from __future__ import annotations

from .locale import Locale

NAME = "日本語"

_TABLE_NAMES = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
    "acsc": "arccsc", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "coth": "coth",
    "sech": "sech", "csch": "csch", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh",
    "acoth": "arcoth",
}

RULES: dict[str, tuple[str, str]] = {
    "constant": ("定数の微分", "{f} は {variable} に依存しないので、微分すると 0 になる。"),
    "identity": ("変数の微分", "{variable} を {variable} 自身で微分すると 1 である。"),
    "sum": ("和の微分", "項ごとに微分して足し合わせる。"),
    "constant_multiple": (
        "定数倍の微分",
        "定数倍は微分の外に出せる。ここでは定数 {constant} を前に出す。",
    ),
    "product": (
        "積の微分公式",
        "因数を一つずつ微分し、残りの因数はそのままにして足し合わせる：{law}。",
    ),
    "quotient": (
        "商の微分公式",
        "分子を {numerator}、分母を {denominator} として：{law}。",
    ),
    "reciprocal": ("逆数の微分公式", "分母 {denominator} に用いる：{law}。"),
    "power": (
        "べき関数の微分",
        "指数 {exponent} を前に出し、指数を 1 つ下げる：{law}。",
    ),
    "sqrt": ("平方根の微分", "平方根は 1/2 乗なので {law}。"),
    "root": ("累乗根の微分", "n 乗根は 1/n 乗なので {law}。"),
    "exp": ("指数関数の微分", "指数関数は微分しても形が変わらない：{law}。"),
    "exponential": ("指数関数の微分", "底が {base} のとき：{law}。"),
    "log": ("対数関数の微分", "対数の傾きは引数の逆数である：{law}。"),
    "log_differentiation": (
        "対数微分法",
        "底と指数がともに変化するので、対数をとって微分する：{law}。",
    ),
    **{rule: (f"{name} の微分", "微分の公式より {law}。") for rule, name in _TABLE_NAMES.items()},
    "tanh": ("tanh の微分", "tanh の導関数は tanh 自身で表せる：{law}。"),
    "abs": ("絶対値の微分", "{law}。絶対値は 0 で折れ曲がっており、そこでは微分できない。"),
    "sigmoid": (
        "シグモイド関数の微分",
        "シグモイド関数の導関数はシグモイド関数自身で表せる：{law}。",
    ),
    "softplus": ("ソフトプラス関数の微分", "ソフトプラス関数の導関数はシグモイド関数である：{law}。"),
    "relu": (
        "ReLU の微分",
        "ReLU の傾きは入力が正なら 1、負なら 0 である：{law}。折れ曲がる点 0 では、"
        "NumPy や PyTorch と同じく 0 とする。",
    ),
    "heaviside": ("ステップ関数の微分", "ステップ関数は 0 の両側で一定なので {law}。"),
    "floor": ("床関数の微分", "床関数は整数と整数の間で一定で、整数で跳ぶ（そこでは微分できない）ので {law}。"),
    "ceiling": ("天井関数の微分", "天井関数は整数と整数の間で一定で、整数で跳ぶ（そこでは微分できない）ので {law}。"),
    "sign": ("符号関数の微分", "符号関数は 0 の両側で一定（−1 と 1）なので {law}。"),
    "piecewise": ("区分的に定義された関数の微分", "それぞれの区間で式を微分する：{law}。"),
    "max": ("max の微分", "max は大きい方の引数に従う：{law}。"),
    "min": ("min の微分", "min は小さい方の引数に従う：{law}。"),
    "chain": (
        "合成関数の微分（連鎖律）",
        "外側の関数 {outer} を {name} で微分し、内側の関数 {inner} の微分を掛ける：{law}。",
    ),
    "sympy": (
        "SymPy による微分",
        "{f} に当てはまる公式がないので SymPy で微分し、このステップを symderiv が検証する。",
    ),
    "derivatives": (
        "各部分の微分",
        "それぞれの微分をその値で置き換える（導出は下に示す）：{values}。",
    ),
    "higher_order": (
        "もう一度微分する",
        "高階導関数は一つ前の導関数の導関数である。まず 1 回目の微分をその値で置き換え（導出は下に示す）、{values}、"
        "残りの微分はその値に対して行う：{law}。",
    ),
    "substitute": (
        "元の式に戻す",
        "置き換えた変数を元に戻す（{values}）。これで式は {wrt} だけで表される。",
    ),
    "simplify": ("整理", "同類項をまとめ、約分する。"),
    "expand": ("展開", "かっこを外して同類項をまとめる。"),
    "factor": ("因数分解", "共通因数でくくる。"),
    "scale_fraction": (
        "分母と分子に同じ因数を掛ける",
        "分母と分子に 0 でない同じ因数 {factor} を掛ける。",
    ),
    "add_subtract": ("同じ数を足して引く", "分子に {term} を足して引く。値は変わらない。"),
    "split_fraction": ("分数を分ける", "一つの分数を二つの因数の積に書き直す：{law}。"),
    "recognize_sigmoid": (
        "シグモイド関数で表す",
        "シグモイド関数の定義 {law} より、{sigmoid} を使って書き直す。",
    ),
    "sigmoid_complement": ("1 からシグモイド関数を引いた形で表す", "{law} を使って書き直す。"),
    "trig_identities": ("三角関数の公式を使う", "正弦と余弦で表し、{law} を使って整理する。"),
    "softmax_component": ("ソフトマックスの成分で表す", "ソフトマックスの成分に名前を付ける：{law}。"),
}

WORDS: dict[str, str] = {
    "fallback": "{law}。",
    "introduces": "{introduces} とおく。",
    "constants": "ここで {constants} は定数とみなす。",
    "title": "{expr} の微分",
    "statement": "{expr} を {wrt} で微分する。",
    "statement_partial": "{expr} を {wrt} で偏微分する（{others} は定数とみなす）。",
    "title_higher": "導関数 {derivative}",
    "statement_higher": "{derivative} を、一つ前の導関数を 1 回ずつ微分して求める。",
    "steps": "計算の流れ",
    "step": "ステップ {n}",
    "result": "結果",
    "result_line": "したがって {equation}。",
    "where": "ただし {substitutions}",
    "proof_identical": "検証済み：含まれる微分をすべて計算すると両辺は同じ式になり、{points} 個の無作為な点で {digits} 桁まで一致",
    "proof_symbolic": "検証済み：両辺の差を整理すると 0 になり、{points} 個の無作為な点で {digits} 桁まで一致",
    "proof_numeric": "検証済み：{points} 個の無作為な点で {digits} 桁まで一致",
    "proven": "上のすべてのステップは symderiv によって検証されている。",
    "rule": "規則",
    "notes": "各ステップの根拠",
    "languages": "言語",
    "formats": "形式",
    "contents": "目次",
    "index_title": "symderiv：導出をステップごとに",
    "index_intro": (
        "ロジスティック回帰と誤差逆伝播法の公式を、規則を一つずつ適用して導出する。"
        "すべてのステップは検証済みで、4 つの言語と 4 つの形式で読める。"
    ),
    "plot_sigmoid": (
        "シグモイド関数 $\\sigma$ とその導関数 $\\sigma' = \\sigma (1 - \\sigma)$。傾きは 0 で最大となり $\\sigma'(0) = \\frac{1}{4}$。"
        "シグモイドを通る勾配は 1/4 以下に縮む。"
    ),
    "plot_exp_log": (
        "指数関数 $e^{x}$ は点 (0, 1) を通り、限りなく増加する。対数関数 $\\log x$ はその鏡像である。"
        "確率の $-\\log$ が交差エントロピー損失になる。"
    ),
    "doc_sigmoid_quotient": "商の微分公式によるシグモイド関数の微分",
    "doc_sigmoid_quotient_intro": (
        "シグモイド関数 $\\sigma(x) = \\frac{1}{1 + e^{-x}}$ は分数なので、商の微分公式から始め、"
        "分子で 1 を足して引いて $\\sigma(x)$ が 2 回現れる形にする。"
    ),
    "doc_sigmoid_chain": "連鎖律によるシグモイド関数の微分",
    "doc_sigmoid_chain_intro": (
        "シグモイド関数を $f = u^{-1}$、$u = 1 + e^{v}$、$v = -x$ と層に分け、各層の微分を掛け合わせる："
        "$\\frac{\\mathrm{d}f}{\\mathrm{d}x} = \\frac{\\mathrm{d}f}{\\mathrm{d}u} \\cdot \\frac{\\mathrm{d}u}{\\mathrm{d}v} \\cdot \\frac{\\mathrm{d}v}{\\mathrm{d}x}$。"
    ),
    "doc_sigmoid_reciprocal": "$t = 1 + e^{-x}$ とおくシグモイド関数の微分",
    "doc_sigmoid_reciprocal_intro": (
        "分母を $t = 1 + e^{-x}$ とおくと $y = 1/t$。逆数の微分公式で $\\frac{\\mathrm{d}y}{\\mathrm{d}t} = -\\frac{1}{t^{2}}$ となり、"
        "連鎖律で仕上げる。"
    ),
    "doc_cross_entropy_z": "交差エントロピー損失のロジットに関する勾配",
    "doc_cross_entropy_z_intro": (
        "予測 $a = \\sigma(z)$ と正解ラベル y に対し、損失は $L = -\\left(y \\log a + (1 - y) \\log(1 - a)\\right)$。"
        "z で微分すると、よく知られた $a - y$ になる。"
    ),
    "doc_cross_entropy_w": "交差エントロピー損失の重みに関する勾配",
    "doc_cross_entropy_w_intro": (
        "$z = w x + b$ として同じ損失を重み w で微分すると $x (a - y)$、つまり誤差と入力の積になる。"
    ),
    "doc_sigmoid_squared": "$\\sigma^{2}$ の微分",
    "doc_sigmoid_squared_intro": (
        "連鎖律とシグモイド関数の微分を組み合わせる：$y = \\sigma^{2}(x)$ の導関数は $2 \\sigma(x) \\cdot \\sigma(x) \\left(1 - \\sigma(x)\\right)$。"
        "$x = 2$ では 0.1850 となり、自動微分の値と一致する。"
    ),
    "doc_relu": "ReLU の微分",
    "doc_relu_intro": (
        "$\\operatorname{ReLU}(x) = \\max(0, x)$ は正の入力をそのまま通し、それ以外は止める。導関数はステップ関数 $H(x)$ で、"
        "折れ曲がる点 $x = 0$ では 0 とする。"
    ),
    "doc_tanh": "tanh の微分",
    "doc_tanh_intro": "双曲線正接関数 tanh も、シグモイド関数と同じく導関数が自分自身で表せる。",
    "doc_softplus": "ソフトプラス関数の微分",
    "doc_softplus_intro": "ソフトプラス関数 $\\log(1 + e^{x})$ は滑らかな ReLU であり、その導関数はちょうどシグモイド関数になる。",
}

# 計算グラフの逆伝播 (symderiv.models.graph)。
RULES["backward_node"] = (
    "ノードの逆伝播",
    "ノード {node} の逆伝播：このノードに届いた勾配 {gradient} に局所的な勾配 {local} を掛けて、それぞれの入力へ流す。"
    "複数の経路から同じ入力に届いた勾配は足し合わせる。",
)

# 層状ネットワークと誤差逆伝播法 (symderiv.models.network)。
RULES["weighted_sum"] = (
    "重み付き和の微分",
    "{f} は重み付き和 {law} である。{variable} を含む項だけが {variable} に依存するので、微分は {result} になる。",
)
RULES["activation"] = ("活性化の名前", "活性化をその名前で書く（{law}）：{part} = {result}。")
RULES["backprop"] = (
    "層を通る誤差逆伝播",
    "重みは次の層のすべてのユニットを通って損失に届くので、連鎖律はそれらの経路を足し合わせる：{law}。",
)
RULES["delta"] = (
    "ユニットの誤差 δ",
    "各ユニットの誤差を δ = ∂E/∂z と名付け、出力側から順に求める：{law}。ここでは {part} = {result}。",
)
RULES["output_delta"] = ("出力層の誤差", "出力層では局所的な微分がまとまって簡単になる：{law}。")
RULES["matrix_elementwise"] = (
    "成分ごとに見た行列の形",
    "成分ごとに見れば z = Θa を通る連鎖律であり、すべての成分をまとめると一つの行列積になる：{law}。",
)
RULES["bias_unit"] = (
    "バイアスユニット",
    "Θ⁽ˡ⁾ は先頭にバイアスの列を持つ [b W] であり、a⁽ˡ⁾ は定数 1 から始まるので、Wa + b について導いた規則は Θ 全体で書くと次のようになる：{law}。",
)
RULES["regularization"] = (
    "正則化項の微分",
    "正則化項 {f} はバイアスの重みを除いた重みの二乗の和である：{law}。{variable} で微分すると {result} になる。",
)
RULES["log_softmax"] = ("ソフトマックスの対数", "二つの項に分かれる：{law}。")
RULES["targets_sum_to_one"] = (
    "目標値の和は 1",
    "one-hot（または確率）の目標値は和が 1 なので、log-sum-exp の項は一つだけ残る：{law}。",
)

# 計算グラフ、ネットワーク、勾配消失の文書 (symderiv.documents)。
WORDS.update({
    'doc_sigmoid_slope': "勾配消失の理由：シグモイド関数の傾きは 1/4 以下",
    'doc_sigmoid_slope_intro': "$\\sigma' = \\sigma (1 - \\sigma)$ をもう一度微分すると $\\sigma'' = \\sigma (1 - \\sigma)(1 - 2\\sigma)$ となり、$(0, 1)$ の範囲で 0 になるのは $\\sigma = \\frac{1}{2}$、すなわち $x = 0$ のときだけである。そこで傾きは最大 $\\sigma'(0) = \\frac{1}{4}$ となるので、$n$ 層のシグモイドを通る勾配は高々 $(\\frac{1}{4})^{n}$ 倍になる。これが勾配消失の議論である（資料 004）。",
    'doc_sigmoid_graph': "計算グラフによるシグモイド関数の微分",
    'doc_sigmoid_graph_intro': "シグモイド関数を $\\times(-1)$、$\\exp$、$+1$、$\\div$ の 4 つのノードで表す（資料 000）。逆伝播は出力側からグラフをたどる。$\\div$ ノードは勾配に $-y^{2}$ を掛け、$+$ ノードはそのまま流し、$\\exp$ ノードは $e^{-x}$ を、$\\times(-1)$ ノードは $-1$ を掛けて、$y (1 - y)$ に至る。",
    'doc_shared_paths': "逆伝播が偏微分を保存する理由：一つの変数への二つの経路",
    'doc_shared_paths_intro': "$e = (a + b)(b + 1)$ で $c = a + b$、$d = b + 1$ とおくと（資料 001）、$b$ は二つの経路で $e$ に届く。$e$ から逆向きにたどれば、各局所微分は一度だけ計算され、両方の経路から来た勾配が足し合わされる：$\\frac{\\partial e}{\\partial b} = d + c$。$a = 2$、$b = 1$ では $e = 6$、$\\frac{\\partial e}{\\partial a} = 2$、$\\frac{\\partial e}{\\partial b} = 5$。",
    'doc_network_output_weight': "ニューラルネットワークのコスト：出力層の重みの勾配",
    'doc_network_output_weight_intro': "資料 001 の 3 層シグモイドネットワークと、正則化付き交差エントロピーコスト $J(\\Theta)$。出力層の重みについては、連鎖律が $a^{(3)} = \\sigma(z^{(3)})$ と $z^{(3)} = \\sum \\theta a^{(2)}$ を通り、$\\frac{1}{m}(a^{(3)} - y)\\, a^{(2)}$ に正則化の $\\frac{\\lambda}{m}\\theta$ を加えたものになる。",
    'doc_network_hidden_weight': "ニューラルネットワークのコスト：隠れ層の重みの勾配と δ",
    'doc_network_hidden_weight_intro': "隠れ層の重みでは連鎖律がさらに $z^{(2)}$ を通る。その層のすべての重みに共通する部分を $\\delta^{(2)}$ と名付け、一度だけ計算する：$\\delta^{(3)} = a^{(3)} - y$、$\\delta^{(2)} = (\\Theta^{(2)})^{T} \\delta^{(3)} \\odot a^{(2)} (1 - a^{(2)})$（資料 001）。",
    'plot_graph_sigmoid': "$x = 1$ における $\\frac{1}{1 + e^{-x}}$ の計算グラフ。各ノードにはその値と届いた勾配、各辺には局所勾配を示す。",
    'plot_graph_shared': "$a = 2$、$b = 1$ における $e = (a + b)(b + 1)$ の計算グラフ。$b$ は $c$ と $d$ の両方を通って $e$ に届く。",
})

# symderiv serve のウェブページ (symderiv.web)。
WORDS.update({
    "web_tagline": "式を入力すると、すべての段階が証明された微分の過程を表示します。",
    "web_formula": "式",
    "web_notation": "書き方",
    "web_text": "テキスト",
    "web_latex": "LaTeX",
    "web_variable": "変数",
    "web_variable_hint": "空欄なら式のただ一つの変数",
    "web_strategy": "解き方",
    "web_detail": "詳しさ",
    "web_language": "言語",
    "web_derive": "微分する",
    "web_examples": "例",
    "web_check": "答えを確かめる",
    "web_answer": "あなたの導関数",
    "web_check_button": "確かめる",
    "web_right": "正解：{answer} は {expr} の {wrt} についての導関数です。",
    "web_method_identical": "導関数と同じ式です。",
    "web_method_symbolic": "導関数との差は約分すると 0 になります。",
    "web_method_numeric": "{points} 個の点で導関数と 30 桁まで一致します。",
    "web_wrong": "不正解：{answer} は {expr} の {wrt} についての導関数ではありません。",
    "web_true": "導関数は {result} です。",
    "web_counterexample": "反例：{point} で、あなたの答えは {yours}、導関数は {true} です。",
    "web_departs": (
        "あなたの答えはステップ {step}（{rule}）で外れています：そこでは {node} = {correct} ですが、"
        "あなたの答えは {node} を {yours} とした場合に得られるものです。"
    ),
    "web_no_departure": "一つのステップでの一つの誤りでは、あなたの答えを説明できません。",
    "web_downloads": "ダウンロード",
    "web_permalink": "固定リンク",
    "web_api": "JSON API",
    "web_graph": "計算グラフ",
    "web_error": "入力を読み取れません",
    "web_limit": "一回のリクエストで扱える量を超えています",
    "web_busy": "サーバーが混み合っています",
    "web_internal": "symderiv の内部で問題が起きました（報告してください）",
    "web_not_found": "そのページはありません",
})


# The matrix-calculus documents (symderiv.documents).
WORDS.update({
    "doc_logistic_matrix": "行列形式のロジスティック回帰：$\\frac{\\partial J}{\\partial \\mathbf{w}} = \\frac{1}{m} \\mathbf{X}^{T} (\\sigma(\\mathbf{X} \\mathbf{w}) - \\mathbf{y})$",
    "doc_logistic_matrix_intro": "$\\mathbf{X}$ の行である m 個の例にわたる平均交差エントロピーを、1 を並べた列ベクトルと、成分ごとにとる対数とシグモイドで書く。行列の公式集（Matrix Cookbook）の流儀で全微分をとり、$\\mathrm{d}J = \\operatorname{tr}(\\mathbf{G}^{T} \\mathrm{d}\\mathbf{w})$ の形になれば勾配は $\\mathbf{G}$ である。勾配は分母レイアウトで書く：勾配は変数と同じ形、ここでは列ベクトル $\\mathbf{w}$ の形をもつ。",
    "doc_softmax_regression": "ソフトマックス回帰：$\\frac{\\partial L}{\\partial \\mathbf{W}} = (\\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}) \\mathbf{x}^{T}$",
    "doc_softmax_regression_intro": "one-hot の目標値 $\\mathbf{y}$ をもつ一つの例 $\\mathbf{x}$ について、損失は $L = -\\mathbf{y}^{T} \\log \\operatorname{softmax}(\\mathbf{z})$、$\\mathbf{z} = \\mathbf{W} \\mathbf{x} + \\mathbf{b}$ である。log ソフトマックスの全微分を通し、目標値の和が 1 であることを使うと、出力の誤差は $\\delta = \\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}$、勾配は $\\delta \\mathbf{x}^{T}$ となり、$\\mathbf{W}$ と同じ形をもつ（分母レイアウト）。",
})

# Matrix calculus (symderiv.calculus.matrix).
RULES.update({
    'matrix_differential': ('微分形式を通して', 'd{wrt} について線形な全微分 df を求める。df = tr(Gᵀ d{wrt}) と書ければ勾配は G である：{law}。'),
    'differential_linear': ('線形な式の微分', '式は変数について線形なので、変数をその微分に置き換え、定数項を落とす：{law}。'),
    'differential_sum': ('和の微分', '微分は項ごとにとり、定数倍はそのまま残り、定数の微分は 0 である：{law}。'),
    'matrix_product': ('行列の積の微分法則', '行列は可換でないので、因子の順序を保ったまま一つずつ微分する：{law}。'),
    'differential_transpose': ('転置の微分', '転置は線形である：{law}。'),
    'differential_trace': ('トレースの微分', 'トレースは線形である：{law}。'),
    'differential_inverse': ('逆行列の微分', 'U U⁻¹ = I を積の法則で微分する：{law}。'),
    'differential_det': ('行列式の微分', 'ヤコビの公式：{law}。'),
    'differential_log_det': ('log det の微分', 'ヤコビの公式を det U で割る：{law}。'),
    'elementwise_chain': ('成分ごとの連鎖律', '関数は各成分に別々に作用するので、各成分にそれぞれの傾きを掛ける。アダマール積 ⊙ による連鎖律：{law}。傾き f′ は下で導く。'),
    'hadamard_product': ('⊙ の積の法則', '成分ごとに見れば数の積の法則である：{law}。'),
    'differential_scalar_chain': ('スカラーの連鎖律', '一つのスカラーの関数：{law}。その導関数は下で導く。'),
    'differential_softmax': ('ソフトマックスの微分', 'ソフトマックスのヤコビ行列は diag(s) − s sᵀ である：{law}。'),
    'differential_log_softmax': ('log ソフトマックスの微分', 'log softmax(z) = z − 1·log(1ᵀeᶻ) なので {law}。'),
    'trace_form': ('トレースの形', 'スカラーはそのトレースに等しい。トレースの巡回性と ⟨A, B ⊙ C⟩ = ⟨A ⊙ B, C⟩ で微分の周りをすべて左へ移す：{law}。'),
    'matrix_gradient': ('勾配を読み取る', '{law}。勾配は変数と同じ形をもつ（分母レイアウト）。'),
    'target_sum': ('目標値の和は 1', 'one-hot（または確率）の目標値は和が 1 である：{law}。'),
    'elementwise_simplify': ('成分ごとに簡単にする', '成分ごとに見れば + と ⊙ は数の和と積なので、数と同じように簡単になる：{law}。'),
})

# Everything else symderiv knows about the language (see symderiv.locales.locale.Locale).
LOCALE = Locale(
    code="ja",
    name=NAME,
    rules=RULES,
    words=WORDS,
    sentence_gap="",  # a full-width stop ends a sentence; no space follows it
    otherwise="それ以外",
    tex_fonts=("Noto Serif CJK JP", "Noto Sans CJK JP", "IPAexMincho"),  # fonts-noto-cjk on Debian, then TeX Live's own
    page_font="Noto Serif CJK JP",
)

WORDS["backprop_rules"] = "行列微分で導いた規則（各ステップを成分ごとに証明）"
