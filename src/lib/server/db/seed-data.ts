/*
 * Fixed content of the demo data set: a branch in Xiaoshan (Hangzhou), three outlets, six
 * communities and the words residents' names and addresses are made of. Positions are WGS-84,
 * near the real sub-district centres (approximate: demo data, not survey data).
 */

export const DEMO_BRANCH_NAME = '萧山支行';

export interface DemoOutlet {
	key: 'chengxiang' | 'beigan' | 'ningwei';
	name: string;
	address: string;
	lat: number;
	lng: number;
	openingHours: string;
}

export const DEMO_OUTLETS: DemoOutlet[] = [
	{ key: 'chengxiang', name: '城厢支行营业部', address: '杭州市萧山区城厢街道人民路 208 号', lat: 30.1637, lng: 120.2659, openingHours: '周一至周五 08:30–17:00；周六 09:00–16:00' },
	{ key: 'beigan', name: '北干网点', address: '杭州市萧山区北干街道金城路 358 号', lat: 30.1841, lng: 120.2713, openingHours: '周一至周五 08:30–17:00' },
	{ key: 'ningwei', name: '宁围网点', address: '杭州市萧山区宁围街道市心北路 857 号', lat: 30.2262, lng: 120.2774, openingHours: '周一至周五 08:30–17:00' }
];

export interface DemoCommunity {
	outlet: DemoOutlet['key'];
	name: string;
	district: string;
	lat: number;
	lng: number;
	streets: string[];
}

export const DEMO_COMMUNITIES: DemoCommunity[] = [
	{ outlet: 'chengxiang', name: '高桥社区', district: '城厢街道', lat: 30.1571, lng: 120.2578, streets: ['高桥路', '西河路', '萧绍路'] },
	{ outlet: 'chengxiang', name: '湘湖社区', district: '蜀山街道', lat: 30.1402, lng: 120.2441, streets: ['湘湖路', '萧山路', '蜀山路'] },
	{ outlet: 'chengxiang', name: '闻堰社区', district: '闻堰街道', lat: 30.1178, lng: 120.2146, streets: ['闻兴路', '三江路', '湘滨路'] },
	{ outlet: 'beigan', name: '金城社区', district: '北干街道', lat: 30.1812, lng: 120.2665, streets: ['金城路', '北干山南路', '山阴路'] },
	{ outlet: 'beigan', name: '新塘社区', district: '新塘街道', lat: 30.1745, lng: 120.3021, streets: ['新塘路', '通惠路', '萧金路'] },
	{ outlet: 'ningwei', name: '宁新社区', district: '宁围街道', lat: 30.2286, lng: 120.2812, streets: ['市心北路', '宁泰路', '耕文路'] }
];

/** Staff per outlet: at least two each, so every outlet can send a two-person team. */
export const DEMO_STAFF_OUTLET: DemoOutlet['key'][] = [
	'chengxiang',
	'chengxiang',
	'chengxiang',
	'beigan',
	'beigan',
	'beigan',
	'ningwei',
	'ningwei'
];

export const DEMO_HEAD_NAMES = ['陈建华', '沈丽萍', '俞国强'];
export const DEMO_STAFF_NAMES = ['王晓东', '李婷', '张伟', '赵敏', '孙浩', '周佳怡', '吴磊', '郑雪'];
export const DEMO_WORKER_NAMES = ['何倩', '徐晨', '朱琳', '马骏', '胡悦', '郭彤'];

export const SURNAMES = ['王', '李', '张', '陈', '沈', '俞', '孙', '周', '徐', '汪', '钱', '蔡', '韩', '傅', '楼', '来', '瞿', '戴'];
export const GIVEN_MALE = ['阿毛', '根生', '金法', '国富', '志明', '德兴', '永福', '水根', '伯平', '荣华'];
export const GIVEN_FEMALE = ['秀英', '桂英', '月娥', '凤仙', '阿花', '美娟', '玉兰', '彩珍', '金娣', '素芬'];
export const RELATIONS = ['儿子', '女儿', '儿媳', '侄子', '孙女'];
/** Mainland mobile prefixes (for realistic-looking, made-up numbers). */
export const PHONE_PREFIXES = ['135', '138', '139', '150', '158', '177', '187', '189'];

/** Small deterministic generator (mulberry32): the demo looks the same on every install. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
